import type { Key } from 'ink';
import type { LogFilter, PanelFocus, TuiActions, TuiViewModel } from '../view-model.js';
import { nextJob, nextLevel } from './log-filter.js';

/** What the UI keeps for itself: none of it comes from the view model. */
export interface UiState {
  focus: PanelFocus;
  help: boolean;
  selectedScenario: number;
  logFilter: LogFilter;
}

export const INITIAL_UI_STATE: UiState = {
  focus: 'scenario',
  help: false,
  selectedScenario: 0,
  logFilter: {},
};

const FOCUS_ORDER: readonly PanelFocus[] = ['scenario', 'faults', 'logs'];
const FOCUS_KEYS: Readonly<Record<string, PanelFocus>> = { s: 'scenario', f: 'faults', l: 'logs' };

function cycleFocus(focus: PanelFocus, step: 1 | -1): PanelFocus {
  const at = FOCUS_ORDER.indexOf(focus);
  return FOCUS_ORDER[(at + step + FOCUS_ORDER.length) % FOCUS_ORDER.length]!;
}

function scenarioKey(ui: UiState, input: string, key: Key, view: TuiViewModel, actions: TuiActions): UiState {
  const last = view.scenarios.length - 1;
  const selected = Math.max(0, Math.min(ui.selectedScenario, last));
  const running = view.scenario?.state === 'running';
  if (key.upArrow || input === 'k') return { ...ui, selectedScenario: Math.max(0, selected - 1) };
  if (key.downArrow || input === 'j')
    return { ...ui, selectedScenario: Math.max(0, Math.min(last, selected + 1)) };
  const name = view.scenarios[selected];
  if (key.return && name !== undefined && !running) actions.runScenario(name);
  if (input === 'x' && running) actions.stopScenario();
  return ui;
}

function logsKey(ui: UiState, input: string, view: TuiViewModel): UiState {
  if (input === 'v') return { ...ui, logFilter: { ...ui.logFilter, level: nextLevel(ui.logFilter.level) } };
  if (input === 'J')
    return { ...ui, logFilter: { ...ui.logFilter, job: nextJob(view.logs, ui.logFilter.job) } };
  return ui;
}

/**
 * Applies one key press: calls the actions it asks for and returns the next UI state (the same object
 * when nothing changed). Fault keys come before the panel keys while the faults panel has the focus.
 */
export function handleKey(
  ui: UiState,
  input: string,
  key: Key,
  view: TuiViewModel,
  actions: TuiActions,
): UiState {
  if ((key.ctrl && input === 'c') || input === 'q') {
    actions.quit();
    return ui;
  }
  if (input === '?') return { ...ui, help: !ui.help };
  if (ui.help) return key.escape ? { ...ui, help: false } : ui;
  if (key.tab) return { ...ui, focus: cycleFocus(ui.focus, key.shift ? -1 : 1) };
  if (key.ctrl || key.meta) return ui;
  if (ui.focus === 'faults') {
    const fault = view.faults.find((f) => f.key === input);
    if (fault) {
      actions.toggleFault(fault.name);
      return ui;
    }
  }
  const focus = FOCUS_KEYS[input];
  if (focus) return focus === ui.focus ? ui : { ...ui, focus };
  if (ui.focus === 'scenario') return scenarioKey(ui, input, key, view, actions);
  if (ui.focus === 'logs') return logsKey(ui, input, view);
  return ui;
}
