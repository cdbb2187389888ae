import { InputError } from '@backstage/errors';
import { restrictedAttributesIn } from '../../model/buildDevWorkspace';
import { DevfileReader } from './DevfileReader';
import { DevfileSchemaValidator } from './DevfileSchemaValidator';
import { DevfileDocument, parseDevfile } from './parseDevfile';

/** A devfile as read (its text goes into the DevWorkspace's annotation) and parsed. */
export interface LoadedDevfile {
  text: string;
  document: DevfileDocument;
}

/** Reads a devfile URL and accepts the devfile only when the plugin may create from it. */
export class DevfileLoader {
  constructor(
    private readonly deps: { reader: DevfileReader; schemaValidator: DevfileSchemaValidator },
  ) {}

  async load(devfileUrl: string): Promise<LoadedDevfile> {
    const text = await this.deps.reader.read(devfileUrl);
    const document = parseDevfile(text);
    this.deps.schemaValidator.validate(document);
    const restricted = restrictedAttributesIn(document);
    if (restricted.length > 0) {
      throw new InputError(
        `Invalid devfile: attribute(s) ${restricted.map(a => `'${a}'`).join(', ')} may not be set through che-launcher`,
      );
    }
    return { text, document };
  }
}
