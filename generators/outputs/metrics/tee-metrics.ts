import type { Labels, MetricWriter } from '../../model/types.js';

/** Writes every metric change to several writers; one can be detached (the history recorder, once done). */
export class TeeMetrics implements MetricWriter {
  private writers: MetricWriter[];

  constructor(...writers: MetricWriter[]) {
    this.writers = writers;
  }

  detach(writer: MetricWriter): void {
    this.writers = this.writers.filter((w) => w !== writer);
  }

  touch(metric: string, labels: Labels, instance?: number): void {
    for (const w of this.writers) w.touch(metric, labels, instance);
  }

  add(metric: string, labels: Labels, value: number, instance?: number): void {
    for (const w of this.writers) w.add(metric, labels, value, instance);
  }

  set(metric: string, labels: Labels, value: number, instance?: number): void {
    for (const w of this.writers) w.set(metric, labels, value, instance);
  }

  observe(metric: string, labels: Labels, value: number, instance?: number): void {
    for (const w of this.writers) w.observe(metric, labels, value, instance);
  }

  remove(metric: string, labels: Labels, instance?: number): void {
    for (const w of this.writers) w.remove(metric, labels, instance);
  }

  setTargetUp(job: string, up: boolean, instance?: number): void {
    for (const w of this.writers) w.setTargetUp(job, up, instance);
  }
}
