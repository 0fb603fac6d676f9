/**
 * Set-up of the client tests (vitest.config.ts): Testing Library's `findBy…` and `waitFor` wait
 * up to 10 s for what they look for, instead of 1 s. A limit for what never comes, not a measure:
 * the client tests run beside the services lane on 2 cores, where a render can wait its turn.
 */
import { configure } from '@testing-library/dom';

configure({ asyncUtilTimeout: 10_000 });
