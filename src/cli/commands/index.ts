import type { Command } from '../command.js';
import { upCommand } from './up.js';

export function allCommands(): Command[] {
  return [upCommand];
}
