// Lets plain Node 24 run the project's TypeScript scripts and test helpers (type stripping):
// the sources import "./x.js" as TypeScript's nodenext resolution wants; this maps it to x.ts.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
