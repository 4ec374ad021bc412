import { stringify } from 'yaml';
import { withWebhookReceivers, type AlertmanagerFile } from '../../routing/alertmanager-file.js';
import type { StackAddresses } from '../stack-topology.js';

/**
 * alertmanager.yml: routed by severity as in seed 004 (critical pages, warning goes to chat). Both land on
 * the sandbox's webhook receiver, under different receiver names, so the TUI and live replay see each.
 * With the user's configuration: its routing, every receiver replaced by the webhook under its name.
 * The webhook URL's path holds the receiver's secret: the rendered file is written 0600.
 */
export function alertmanagerConfig(
  addresses: Pick<StackAddresses, 'webhookUrl'>,
  groupWait = '10s',
  user?: AlertmanagerFile,
): string {
  if (user) return stringify(withWebhookReceivers(user, addresses.webhookUrl));
  const webhook = (name: string) => ({
    name,
    webhook_configs: [{ url: `${addresses.webhookUrl}/${name}`, send_resolved: true }],
  });
  return stringify({
    route: {
      receiver: 'sandbox-default',
      group_by: ['alertname', 'severity'],
      group_wait: groupWait,
      group_interval: '1m',
      repeat_interval: '4h',
      routes: [
        { matchers: ['severity="critical"'], receiver: 'sandbox-critical' },
        { matchers: ['severity="warning"'], receiver: 'sandbox-warning' },
      ],
    },
    receivers: [webhook('sandbox-default'), webhook('sandbox-critical'), webhook('sandbox-warning')],
  });
}
