-- Optional indexes for @fawkes/plugin-devlake-backend on large DevLake databases
-- (MySQL 8 or MariaDB). DevLake's schema indexes no date column, so without these every
-- DORA query reads the project's whole history; with them it reads the requested window.
-- The plugin never writes to DevLake's database: a DBA adds these, once. See the README
-- ("Large DevLake databases") for what each one serves and how to remove them.

-- Deployments of a project's CI/CD scopes in a window (deployment frequency, change
-- failure rate, deployment history).
CREATE INDEX fawkes_cdc_scope_finished ON cicd_deployment_commits (cicd_scope_id, finished_date);

-- Lead time: the deployment-commits that finished in the window, then their PRs.
CREATE INDEX fawkes_cdc_finished ON cicd_deployment_commits (finished_date);
CREATE INDEX fawkes_ppm_deployment_commit ON project_pr_metrics (deployment_commit_id(255));
