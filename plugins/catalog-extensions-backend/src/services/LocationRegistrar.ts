import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  DryRunLocationResponse,
  RegisterLocationRequest,
  RegisterLocationResponse,
} from '@fawkes/plugin-catalog-extensions-common';
import { CatalogService, locationSpecToMetadataName } from '@backstage/plugin-catalog-node';
import { callCatalog } from './catalogErrors';
import { EntityDocumentValidator } from './EntityDocumentValidator';
import { TargetReader } from './TargetReader';

/**
 * Registers a location in the core catalog only after its target was read and every entity in
 * it validated, acting as the caller so the catalog's permissions apply.
 */
export class LocationRegistrar {
  constructor(
    private readonly reader: TargetReader,
    private readonly validator: EntityDocumentValidator,
    private readonly catalog: CatalogService,
  ) {}

  async register(
    request: RegisterLocationRequest,
    credentials: BackstageCredentials,
  ): Promise<RegisterLocationResponse> {
    const { type, target } = await this.readAndValidate(request);
    const { location } = await callCatalog(
      { action: 'register catalog locations', locationRef: `${type}:${target}` },
      () => this.catalog.addLocation({ type, target }, { credentials }),
    );
    return { locationId: location.id, type, target, status: 'processing' };
  }

  async dryRun(
    request: RegisterLocationRequest,
    credentials: BackstageCredentials,
  ): Promise<DryRunLocationResponse> {
    const { type, target } = await this.readAndValidate(request);
    const result = await callCatalog(
      { action: 'register catalog locations', locationRef: `${type}:${target}` },
      () => this.catalog.addLocation({ type, target, dryRun: true }, { credentials }),
    );
    // The catalog's dry run includes the Location entity it generates for the target itself.
    const generated = locationSpecToMetadataName({ type, target });
    const entities = result.entities.filter(
      (e: Entity) => !(e.kind === 'Location' && e.metadata.name === generated),
    );
    return { dryRun: true, type, target, exists: Boolean(result.exists), entities };
  }

  /** Reads and validates the target; the canonical target is what gets registered. */
  async readAndValidate(request: RegisterLocationRequest) {
    const read = await this.reader.read(request.type, request.target);
    const entities = await this.validator.validate(read.content, read);
    return { type: read.type, target: read.target, entities };
  }
}
