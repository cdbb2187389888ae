import { NotAllowedError } from '@backstage/errors';
import { isSystemNamespace } from '../../model/names';
import { UserNamespaces } from './UserNamespaces';

/** Which namespace a user's new workspace goes to; 403 for namespaces they may not use. */
export class CreateNamespacePolicy {
  constructor(private readonly namespaces: UserNamespaces) {}

  async namespaceFor(userEntityRef: string, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      assertNotSystem(requested);
      if (!(await this.namespaces.isUsersNamespace(userEntityRef, requested))) {
        throw new NotAllowedError(`You may not create workspaces in namespace '${requested}'`);
      }
      return requested;
    }
    const own = await this.namespaces.forCreate(userEntityRef);
    assertNotSystem(own);
    return own;
  }
}

function assertNotSystem(namespace: string): void {
  if (isSystemNamespace(namespace)) {
    throw new NotAllowedError(`Workspaces may not be created in system namespace '${namespace}'`);
  }
}
