// Preloaded (NODE_OPTIONS=--import=...) into a child process whose peak memory a test measures:
// at exit it writes process.resourceUsage().maxRSS (kilobytes) to the file MAX_RSS_FILE names.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.MAX_RSS_FILE) writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
