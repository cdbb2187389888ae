export interface Config {
  devlake?: {
    /**
     * Base URL of DevLake's Grafana (e.g. `https://devlake.example.com/grafana`). When set, the
     * DORA card links to DevLake's DORA dashboard (uid `qNo8_0M4z`) with the entity's project
     * as its `project` variable, and the team view to DORA by Team (uid `66YkL8y4z`).
     * @visibility frontend
     */
    grafanaUrl?: string;
    /**
     * The DORA report whose thresholds apply ('2021' or '2023'); read by the backend, shown by
     * the frontend beside the levels.
     * @visibility frontend
     */
    benchmark?: '2021' | '2023';
  };
}
