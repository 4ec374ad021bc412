/** A minimal system; each test case breaks one thing in it. */
export const MINI = `system: mini
services:
  api: null
labels:
  status: [ok, failed]
metrics:
  mini_requests_total:
    type: counter
    help: requests
    labels: [status]
  mini_latency_seconds:
    type: histogram
    help: latency
events:
  request:
    rate: 5
    labels: { status: null }
    do:
      - inc: mini_requests_total
      - observe: mini_latency_seconds
        value: 0.1
faults:
  failing:
    summary: requests fail
    params:
      ratio: { type: number, default: 0.5, min: 0, max: 1 }
    effects:
      - event: request
        labels: { status: { failed: $ratio, ok: 1 - $ratio } }
`;
