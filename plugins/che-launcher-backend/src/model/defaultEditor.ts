/**
 * Che's default editor id (CheCluster `devEnvironments.defaultEditor`).
 *
 * @public
 */
export const defaultEditorId = 'che-incubator/che-code/latest';

/**
 * A minimal che-code editor definition, after che-operator's `che-code-latest.yaml`: an init
 * container copies the editor into the `checode` volume, the runtime description is merged into
 * the workspace's first container (`container-contribution`) and exposes the main endpoint
 * `che-code` on port 3100, which becomes the DevWorkspace's `status.mainUrl`.
 *
 * @public
 */
export const defaultEditorTemplate = `schemaVersion: 2.3.0
metadata:
  name: che-code
  displayName: VS Code - Open Source
  attributes:
    publisher: che-incubator
    version: latest
commands:
  - id: init-container-command
    apply:
      component: che-code-injector
  - id: init-che-code-command
    exec:
      component: che-code-runtime-description
      commandLine: nohup /checode/entrypoint-volume.sh > /checode/entrypoint-logs.txt 2>&1 &
events:
  preStart:
    - init-container-command
  postStart:
    - init-che-code-command
components:
  - name: che-code-injector
    container:
      image: quay.io/che-incubator/che-code:latest
      command: ["/entrypoint-init-container.sh"]
      volumeMounts:
        - name: checode
          path: /checode
      memoryLimit: 256Mi
      memoryRequest: 32Mi
      cpuLimit: 500m
      cpuRequest: 30m
  - name: che-code-runtime-description
    attributes:
      app.kubernetes.io/component: che-code-runtime
      app.kubernetes.io/part-of: che-code.eclipse.org
      controller.devfile.io/container-contribution: true
    container:
      image: quay.io/devfile/universal-developer-image:latest
      volumeMounts:
        - name: checode
          path: /checode
      memoryLimit: 1024Mi
      memoryRequest: 256Mi
      cpuLimit: 500m
      cpuRequest: 30m
      endpoints:
        - name: che-code
          attributes:
            type: main
            cookiesAuthEnabled: true
            discoverable: false
            urlRewriteSupported: true
          targetPort: 3100
          exposure: public
          secure: false
          protocol: https
  - name: checode
    volume: {}
`;
