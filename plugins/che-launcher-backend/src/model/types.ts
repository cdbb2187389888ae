/** The parts of a DevWorkspace the plugin reads and writes. */
export interface DevWorkspace {
  apiVersion: string;
  kind: 'DevWorkspace';
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: {
    started: boolean;
    routingClass?: string;
    template?: Record<string, unknown>;
    contributions?: unknown[];
  };
  status?: {
    phase?: string;
    mainUrl?: string;
    message?: string;
    devworkspaceId?: string;
  };
}

export interface DevWorkspaceTemplate {
  apiVersion: string;
  kind: 'DevWorkspaceTemplate';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    ownerReferences: { apiVersion: string; kind: string; name: string; uid: string }[];
  };
  spec: Record<string, unknown>;
}
