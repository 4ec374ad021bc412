import { Box, Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { TuiActions, TuiViewModel } from '../view-model.js';
import { Dashboard } from './dashboard.js';
import { Footer } from './footer.js';
import { HelpOverlay } from './help-overlay.js';
import { handleKey, INITIAL_UI_STATE, type UiState } from './keymap.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  view: TuiViewModel;
  actions: TuiActions;
  /** Terminal size; defaults to stdout's, following resizes. */
  columns?: number;
  rows?: number;
}

/**
 * The terminal UI's root. Render it with ink's `exitOnCtrlC: false`: Ctrl-C goes to `actions.quit()`
 * so the stack is torn down first.
 */
export function App({ view, actions, columns, rows }: AppProps) {
  const terminal = useTerminalSize();
  const width = columns ?? terminal.columns;
  const height = rows ?? terminal.rows;
  const [ui, setUi] = useState<UiState>(INITIAL_UI_STATE);
  // Key presses can arrive faster than renders; each must see the state the previous one left.
  const latest = useRef(ui);
  useInput((input, key) => {
    const next = handleKey(latest.current, input, key, view, actions);
    if (next === latest.current) return;
    latest.current = next;
    setUi(next);
  });

  // One row short of the terminal: ink clears the whole screen on every frame once output fills it.
  const bodyRows = Math.max(0, height - 1 - 1 - (view.message ? 1 : 0));
  return (
    <Box flexDirection="column" width={width}>
      <Box flexDirection="column" height={bodyRows} overflow="hidden">
        {ui.help ? (
          <HelpOverlay maxRows={bodyRows} width={width} services={view.services} />
        ) : (
          <Dashboard view={view} ui={ui} width={width} bodyRows={bodyRows} />
        )}
      </Box>
      {view.message ? (
        <Text color="yellow" wrap="truncate-end">
          {view.message}
        </Text>
      ) : null}
      <Footer focus={ui.focus} help={ui.help} />
    </Box>
  );
}
