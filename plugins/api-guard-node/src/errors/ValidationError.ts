import { InputError } from '@backstage/errors';

/**
 * One problem found while validating input; rendered in the `details` array of a 400.
 *
 * @public
 */
export interface ValidationDetail {
  /** Where the problem is: a field path, or a document index and field path. */
  path: string;
  message: string;
  [key: string]: unknown;
}

/**
 * A 400 whose body carries every problem found, not just the first.
 *
 * @public
 */
export class ValidationError extends InputError {
  readonly details: ValidationDetail[];

  constructor(message: string, details: ValidationDetail[]) {
    super(message);
    this.details = details;
  }
}
