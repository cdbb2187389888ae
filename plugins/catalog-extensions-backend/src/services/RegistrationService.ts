import { Caller, InProgressLimiter, ValidationError } from '@fawkes/plugin-api-guard-node';
import {
  DryRunLocationResponse,
  RegisterLocationRequest,
  RegisterLocationResponse,
} from '@fawkes/plugin-catalog-extensions-common';
import { LocationRegistrar } from './LocationRegistrar';

const BLANK_TARGET = 'Too small: expected string to have >=1 characters';

/**
 * `POST /locations` for one caller: the registration (or dry run) within the caller's and
 * the backend's registration limits. The request has passed the OpenAPI document already.
 */
export class RegistrationService {
  constructor(
    private readonly registrar: LocationRegistrar,
    private readonly limiter: InProgressLimiter,
  ) {}

  async register(request: RegisterLocationRequest, caller: Caller): Promise<RegisterLocationResponse> {
    const body = trimmed(request);
    return this.limited(caller, () => this.registrar.register(body, caller.credentials));
  }

  async dryRun(request: RegisterLocationRequest, caller: Caller): Promise<DryRunLocationResponse> {
    const body = trimmed(request);
    return this.limited(caller, () => this.registrar.dryRun(body, caller.credentials));
  }

  private limited<T>(caller: Caller, work: () => Promise<T>): Promise<T> {
    // one budget per user however the entity ref is cased, as for the rate limits
    return this.limiter.run(caller, work);
  }
}

/** The one body rule the document cannot express: a target that is not only whitespace. */
function trimmed(request: RegisterLocationRequest): RegisterLocationRequest {
  const target = request.target.trim();
  if (!target) {
    throw new ValidationError(`Invalid request body: target: ${BLANK_TARGET}`, [{ path: 'target', message: BLANK_TARGET }]);
  }
  return { type: request.type, target };
}
