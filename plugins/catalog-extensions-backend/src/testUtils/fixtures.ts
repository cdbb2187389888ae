/** catalog-info.yaml fixtures, one string per file. */
export const validMultiDocument = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc-a
  description: Microservice for user management
  labels:
    app.fawkes.idp/team: platform-team
spec:
  type: service
  lifecycle: production
  owner: platform-team
  providesApis: [api-a]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: api-a
spec:
  type: openapi
  lifecycle: production
  owner: platform-team
  definition: |
    openapi: 3.0.0
`;

export const filterEntities = ['f-one:service:production', 'f-two:website:experimental', 'f-three:service:experimental']
  .map(spec => {
    const [name, type, lifecycle] = spec.split(':');
    return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  labels:
    fawkes.test/group: filters
${name === 'f-three' ? '    team: x\n' : ''}spec:
  type: ${type}
  lifecycle: ${lifecycle}
  owner: team-f
`;
  })
  .join('---\n');

export const singleComponent = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: team-s
`;

export const missingName = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  description: no name here
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

export const unknownKind = `apiVersion: backstage.io/v1alpha1
kind: Widget
metadata:
  name: widget-a
spec: {}
`;

export const malformedKind = `apiVersion: backstage.io/v1alpha1
kind: "not a kind!"
metadata:
  name: thing-a
`;

export const badName = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: "Bad Name!"
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

/** Document 0 is fine; document 1 has three problems. */
export const severalProblems = `${singleComponent('fine-one')}---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  labels:
    "bad key!": ok
spec:
  lifecycle: production
  owner: team-a
`;

export const notYaml = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: [unclosed
  - : : :
`;

export const notAMapping = `<html><body>Sign in to continue</body></html>`;

export const group = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
  children: []
`;

export const userWithGroups = (name: string, memberOf: string[]) => `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${name}
spec:
  memberOf: [${memberOf.join(', ')}]
`;

/** A Location entity pointing to one target. */
export const nestedLocation = (name: string, type: string, target: string) => `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: ${name}
spec:
  type: ${type}
  target: ${JSON.stringify(target)}
`;
