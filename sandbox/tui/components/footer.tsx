import { Text } from 'ink';
import { memo } from 'react';
import type { PanelFocus } from '../view-model.js';

const FOCUSED_KEYS: Record<PanelFocus, string> = {
  scenario: '↑↓ select · enter run · x stop',
  faults: 'key toggles fault',
  logs: 'v level · J job',
};

/** The keys, on one line that fits 80 columns. */
export const Footer = memo(function Footer({ focus, help }: { focus: PanelFocus; help: boolean }) {
  return (
    <Text wrap="truncate-end" dimColor>
      {help ? 'esc/? close help · q quit' : `q quit · ? help · tab/s/f/l focus │ ${FOCUSED_KEYS[focus]}`}
    </Text>
  );
});
