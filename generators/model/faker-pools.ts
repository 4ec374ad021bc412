import { seededFaker } from './seeded-faker.js';

/**
 * Realistic names drawn once per simulation from a seeded faker and then picked by the model's own
 * streams: picking is cheap, and the pools do not exist at all when no logs or traces are wanted.
 */
export interface FakerPools {
  actors: readonly string[];
  clients: readonly string[];
  addresses: readonly string[];
  datasets: readonly string[];
  questions: readonly string[];
}

export function createFakerPools(seed: number, size = 200): FakerPools {
  const faker = seededFaker(seed);
  const many = <T>(make: () => T): T[] => Array.from({ length: size }, make);
  return {
    actors: many(
      () =>
        `did:vm:${faker.internet
          .username()
          .toLowerCase()
          .replace(/[^a-z0-9._-]/g, '')}`,
    ),
    clients: many(
      () => `${faker.company.name()} ${faker.helpers.arrayElement(['SDK', 'Gateway', 'Console'])}`,
    ),
    addresses: many(() => faker.internet.ipv4()),
    datasets: many(
      () =>
        `${faker.word.adjective()}-${faker.word.noun()}-${faker.date.past({ years: 2 }).getUTCFullYear()}.parquet`,
    ),
    questions: many(() => `${faker.company.catchPhrase()}: is it ${faker.word.adjective()} under policy?`),
  };
}
