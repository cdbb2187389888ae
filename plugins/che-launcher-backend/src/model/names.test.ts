import {
  cheWorkspaceName,
  devfileWorkspaceNames,
  generateWorkspaceName,
  isSystemNamespace,
  ownerLabelValue,
  parseWorkspaceId,
  sanitizeName,
  toWorkspaceId,
  userNamespace,
  workspaceNameProblem,
} from './names';

describe('workspace names', () => {
  it.each([
    ['my-python-workspace', undefined],
    ['a', undefined],
    ['ws.v2', undefined],
    ['a'.repeat(63), undefined],
    ['a'.repeat(64), 'must be at most 63 characters'],
    ['', 'must not be empty'],
    ['My-Workspace', expect.stringContaining('lowercase')],
    ['-leading', expect.stringContaining('start and end')],
    ['trailing-', expect.stringContaining('start and end')],
    ['under_score', expect.stringContaining('lowercase')],
    ['../etc', expect.stringContaining('lowercase')],
  ])('checks %j', (name, problem) => {
    expect(workspaceNameProblem(name)).toEqual(problem);
  });

  it('sanitizes like the Che dashboard', () => {
    expect(sanitizeName('GoldenPath_Python!')).toBe('goldenpath-python');
    expect(sanitizeName('--My  App--')).toBe('my-app');
    expect(sanitizeName('***')).toBe('');
  });

  it('generates names within 63 characters from any base', () => {
    for (const base of ['goldenpath-python', 'X'.repeat(200), '', undefined, '!!!']) {
      const name = generateWorkspaceName(base);
      expect(workspaceNameProblem(name)).toBeUndefined();
      expect(name).toMatch(/-[a-z0-9]{4}$/);
    }
    expect(generateWorkspaceName('goldenpath-python')).toMatch(/^goldenpath-python-[a-z0-9]{4}$/);
    expect(generateWorkspaceName(undefined)).toMatch(/^workspace-[a-z0-9]{4}$/);
    expect(generateWorkspaceName('a')).not.toBe(generateWorkspaceName('a'));
  });

  it.each([
    ['goldenpath-python', 'goldenpath-python'],
    ['team.python', 'team.python'],
    ['GoldenPath_Python', 'goldenpath-python'],
    ['--My App!', 'my-app'],
    ['a..b', 'a-b'],
    ['x'.repeat(70), 'x'.repeat(63)],
    ['***', 'workspace'],
    ['', 'workspace'],
  ])("names %j's workspace %j as the Che dashboard's sanitizeName does", (raw, name) => {
    expect(cheWorkspaceName(raw)).toBe(name);
    expect(workspaceNameProblem(cheWorkspaceName(raw))).toBeUndefined();
  });

  it("tries the devfile's name first, then suffixed names; generateName always gets a suffix", () => {
    const plain = devfileWorkspaceNames({ name: 'goldenpath-python' });
    expect(plain(1)).toBe('goldenpath-python');
    expect(plain(2)).toMatch(/^goldenpath-python-[a-z0-9]{4}$/);
    const generated = devfileWorkspaceNames({ name: 'ignored', generateName: 'py-' });
    expect(generated(1)).toMatch(/^py-[a-z0-9]{4}$/);
    expect(devfileWorkspaceNames({})(1)).toBe('workspace');
  });
});

describe('userNamespace', () => {
  it('fills the template with a clean user name', () => {
    expect(userNamespace('{user}-workspaces', 'user:default/alice')).toBe('alice-workspaces');
    expect(userNamespace('che-{user}', 'user:default/bob')).toBe('che-bob');
  });

  it('keeps users whose names sanitize alike apart', () => {
    const a = userNamespace('{user}-workspaces', 'user:default/jane.doe');
    const b = userNamespace('{user}-workspaces', 'user:default/jane_doe');
    const c = userNamespace('{user}-workspaces', 'user:other/jane.doe');
    expect(a).toMatch(/^jane-doe-[0-9a-f]{12}-workspaces$/);
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('is injective over adversarial names', () => {
    const hashedJane = userNamespace('{user}-workspaces', 'user:development/jane.doe').replace(/-workspaces$/, '');
    const refs = [
      'user:default/jane-doe-x',
      'user:other/jane-doe-x',
      'user:OTHER/jane-doe-x',
      'user:development/jane.doe',
      `user:default/${hashedJane}`, // a user literally named like another's hashed form
      'user:default/jane-doe',
      'user:default/jane--doe',
      'user:default/Jane-Doe',
      'user:default/jane_doe',
      'user:default/jane.doe',
      `user:default/${'a'.repeat(50)}`,
      `user:default/${'a'.repeat(51)}`,
      'user:default/a',
      'user:default/a-workspaces',
      'user:default/-a-',
    ];
    const namespaces = refs.map(ref => userNamespace('{user}-workspaces', ref));
    // Entity refs are case-insensitive: user:other and user:OTHER are one user.
    const distinctUsers = new Set(refs.map(ref => ref.toLocaleLowerCase('en-US')));
    const byUser = new Map(refs.map((ref, i) => [ref.toLocaleLowerCase('en-US'), namespaces[i]]));
    expect(new Set(byUser.values()).size).toBe(distinctUsers.size);
    refs.forEach((ref, i) => expect(namespaces[i]).toBe(byUser.get(ref.toLocaleLowerCase('en-US'))));
    expect(userNamespace('{user}-workspaces', 'user:default/jane-doe-x')).toBe('jane-doe-x-workspaces');
    expect(userNamespace('{user}-workspaces', 'user:other/jane-doe-x')).not.toBe('jane-doe-x-workspaces');
    expect(userNamespace('{user}-workspaces', `user:default/${hashedJane}`)).not.toBe(`${hashedJane}-workspaces`);
    for (const ns of namespaces) expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('stays a DNS label for very long names', () => {
    const ns = userNamespace('{user}-workspaces', `user:default/${'x'.repeat(80)}`);
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});

describe('workspace ids', () => {
  it('round-trips namespace and name', () => {
    const id = toWorkspaceId('alice-workspaces', 'my-ws.v2');
    expect(id).toBe('alice-workspaces.my-ws.v2');
    expect(parseWorkspaceId(id)).toEqual({ namespace: 'alice-workspaces', name: 'my-ws.v2' });
  });

  it.each([
    '../kube-system.secret',
    'alice-workspaces./etc',
    'alice-workspaces.a/b',
    'alice-workspaces.',
    '.my-ws',
    'nodot',
    'Alice.ws',
    'alice-workspaces.ws%2F..',
    'alice-workspaces.ws\u0000',
    `${'a'.repeat(64)}.ws`,
    `alice.${'a'.repeat(64)}`,
  ])('rejects %j', id => {
    expect(parseWorkspaceId(id)).toBeUndefined();
  });
});

describe('owner markers', () => {
  it('hashes entity refs case-insensitively into a label value', () => {
    const value = ownerLabelValue('user:default/Alice');
    expect(value).toBe(ownerLabelValue('user:default/alice'));
    expect(value).toMatch(/^[0-9a-f]{40}$/);
    expect(value).not.toBe(ownerLabelValue('user:default/bob'));
  });

  it('knows system namespaces', () => {
    for (const ns of ['kube-system', 'kube-public', 'kube-node-lease', 'default', 'openshift-config', 'eclipse-che']) {
      expect(isSystemNamespace(ns)).toBe(true);
    }
    expect(isSystemNamespace('alice-workspaces')).toBe(false);
  });
});
