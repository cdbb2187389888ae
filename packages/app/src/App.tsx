import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogExtensionsPlugin from '@fawkes/plugin-catalog-extensions';
import cheLauncherPlugin from '@fawkes/plugin-che-launcher';
import devlakePlugin from '@fawkes/plugin-devlake';
import { signInModule } from './modules/signIn';

/** The local app: the catalog, guest sign-in and the Fawkes frontend plugins. */
export default createApp({
  features: [catalogPlugin, devlakePlugin, cheLauncherPlugin, catalogExtensionsPlugin, signInModule],
});
