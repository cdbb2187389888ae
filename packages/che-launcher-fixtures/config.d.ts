export interface Config {
  /**
   * Local development only: the che-launcher stand-in (packages/che-launcher-fixtures), used when
   * `cheLauncher.kubernetes` is not configured.
   */
  cheLauncherStandIn?: {
    /**
     * Port on `localhost` of the HTTPS host that serves the bundled devfiles
     * (`https://localhost:<port>/devfiles/<name>.yaml`). Default 7008.
     */
    devfilePort?: number;
  };
}
