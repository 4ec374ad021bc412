#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), processIo);
// Long-running commands (generate) keep the process alive through their servers and exit on a signal.
if (code !== 0) process.exit(code);
