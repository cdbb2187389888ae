/**
 * Che's default editor id (CheCluster `devEnvironments.defaultEditor`).
 *
 * @public
 */
export const defaultEditorId = 'che-incubator/che-code/latest';

/**
 * The built-in editor definition, used only when the cluster's Che has no definition of the
 * configured editor: che-operator 7.89's `editors-definitions/che-code-latest.yaml` (without its
 * icon), with the images pinned to the digests the Che 7.89 operator bundle ships
 * (`RELATED_IMAGE_editor_definition_che_code_latest_*`), never a floating tag. An init container
 * copies the editor into the `checode` volume; the runtime description is merged into the
 * workspace's first container (`container-contribution`) and exposes the main endpoint
 * `che-code` on port 3100, which becomes the DevWorkspace's `status.mainUrl`.
 *
 * @public
 */
export const defaultEditorTemplate = `schemaVersion: 2.3.0
metadata:
  name: che-code
  displayName: VS Code - Open Source
  description: Microsoft Visual Studio Code - Open Source IDE for Eclipse Che
  attributes:
    publisher: che-incubator
    version: latest
    title: Microsoft Visual Studio Code - Open Source IDE for Eclipse Che
    repository: https://github.com/che-incubator/che-code
    firstPublicationDate: '2021-10-31'
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
      image: quay.io/che-incubator/che-code@sha256:6de1fb87f7bcb6c0070c5676e6386e0fa5e7958318e65938f5e0ce0f2ed4013e
      command: ["/entrypoint-init-container.sh"]
      volumeMounts:
        - name: checode
          path: /checode
      memoryLimit: 256Mi
      memoryRequest: 32Mi
      cpuLimit: 500m
      cpuRequest: 30m
  - name: che-code-runtime-description
    container:
      image: quay.io/devfile/universal-developer-image@sha256:3042c191da06ed2b566d1a5dd7ef382bbc548d98b3676bdbade0c39ae060821f
      memoryLimit: 1024Mi
      memoryRequest: 256Mi
      cpuLimit: 500m
      cpuRequest: 30m
      volumeMounts:
        - name: checode
          path: /checode
      endpoints:
        - name: che-code
          attributes:
            type: main
            cookiesAuthEnabled: true
            discoverable: false
            urlRewriteSupported: true
          targetPort: 3100
          exposure: public
          secure: true
          protocol: https
        - name: code-redirect-1
          targetPort: 13131
          exposure: public
          protocol: https
          attributes:
            discoverable: false
            urlRewriteSupported: false
        - name: code-redirect-2
          targetPort: 13132
          exposure: public
          protocol: https
          attributes:
            discoverable: false
            urlRewriteSupported: false
        - name: code-redirect-3
          targetPort: 13133
          exposure: public
          protocol: https
          attributes:
            discoverable: false
            urlRewriteSupported: false
    attributes:
      app.kubernetes.io/component: che-code-runtime
      app.kubernetes.io/part-of: che-code.eclipse.org
      controller.devfile.io/container-contribution: true
  - name: checode
    volume: {}
`;
