import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';

// The English faker alone (the package's root loads every locale, ~150 ms of start-up for nothing), and only
// once a pool is drawn: a command that lists the systems (`sandbox faults`) never draws one. Requiring the ES
// module (Node >= 20.19, which faker itself needs) keeps seededFaker synchronous and gives the same instance
// an import would.
const require = createRequire(import.meta.url);
let shared: Faker | undefined;

/** faker's dates count back from here, not from the wall clock, so that a seed gives the same values any day. */
const REFERENCE_DATE = Date.UTC(2026, 0, 1);

/**
 * The shared faker, seeded and with a fixed reference date. One instance, reseeded before each use: every
 * draw from it is synchronous, so none interleaves.
 */
export function seededFaker(seed: number): Faker {
  const faker = (shared ??= (require('@faker-js/faker/locale/en') as { faker: Faker }).faker);
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}
