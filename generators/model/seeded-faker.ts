// The English faker alone: the package's root loads every locale (~150 ms of start-up for nothing).
import { faker } from '@faker-js/faker/locale/en';
import type { Faker } from '@faker-js/faker';

/** faker's dates count back from here, not from the wall clock, so that a seed gives the same values any day. */
const REFERENCE_DATE = Date.UTC(2026, 0, 1);

/**
 * The shared faker, seeded and with a fixed reference date. One instance, reseeded before each use: every
 * draw from it is synchronous, so none interleaves.
 */
export function seededFaker(seed: number): Faker {
  faker.seed(seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}
