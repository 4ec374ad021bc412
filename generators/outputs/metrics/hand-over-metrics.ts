import type { Labels, MetricWriter } from '../../model/types.js';

/**
 * Passes every metric change to one writer, until `handOver` gives the next ones to another: the model
 * writes its history into a plain store, then its live changes into the registries the store was loaded
 * into.
 */
export class HandOverMetrics implements MetricWriter {
  constructor(private writer: MetricWriter) {}

  handOver(writer: MetricWriter): void {
    this.writer = writer;
  }

  touch(metric: string, labels: Labels, instance?: number): void {
    this.writer.touch(metric, labels, instance);
  }

  add(metric: string, labels: Labels, value: number, instance?: number): void {
    this.writer.add(metric, labels, value, instance);
  }

  set(metric: string, labels: Labels, value: number, instance?: number): void {
    this.writer.set(metric, labels, value, instance);
  }

  observe(metric: string, labels: Labels, value: number, instance?: number): void {
    this.writer.observe(metric, labels, value, instance);
  }

  remove(metric: string, labels: Labels, instance?: number): void {
    this.writer.remove(metric, labels, instance);
  }

  setTargetUp(job: string, up: boolean, instance?: number): void {
    this.writer.setTargetUp(job, up, instance);
  }
}
