#!/usr/bin/env node
// leadconduit-account: the command line (package.json bin); its bundle is cli/index.js.
import './cli/index.js';
