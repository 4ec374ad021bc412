import { Text } from 'ink';
import type { ReactNode } from 'react';

/** A panel's first line: its name (highlighted when it has the keyboard), then a one-line summary. */
export function PanelTitle({
  title,
  focused = false,
  children,
}: {
  title: string;
  focused?: boolean;
  children?: ReactNode;
}) {
  return (
    <Text wrap="truncate-end">
      <Text bold inverse={focused} color={focused ? 'cyan' : 'white'}>
        {` ${title} `}
      </Text>
      {children}
    </Text>
  );
}
