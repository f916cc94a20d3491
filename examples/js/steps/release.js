// A JavaScript step module: pipe runs it in a sandbox, with no access to files, processes or the
// network except through the `step` object each run gets. See docs/js-modules.md.

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

function parse(version) {
  const m = SEMVER.exec(version.trim());
  if (!m) {
    throw new Error(`"${version}" is not a semantic version such as 1.4.2`);
  }
  return m.slice(1, 4).map(Number);
}

// The part to bump from conventional commit subjects: a breaking change, then feat, then anything.
function partFrom(changes) {
  if (changes.some((c) => /^[a-z]+(\(.*\))?!:/.test(c) || c.includes('BREAKING CHANGE'))) return 'major';
  if (changes.some((c) => /^feat(\(.*\))?:/.test(c))) return 'minor';
  return 'patch';
}

export const steps = {
  bump: {
    summary: 'Works out the next semantic version, from a part or from conventional commit subjects.',
    params: {
      version: { type: 'string', positional: true, summary: 'the current version, such as 1.4.2 or v1.4.2' },
      part: { type: 'string', default: '', summary: 'major, minor or patch; worked out from `changes` when empty' },
      changes: { type: 'list', default: [], summary: 'commit subjects since the last release' },
    },
    outputs: ['version', 'part'],
    run(step) {
      const [major, minor, patch] = parse(step.inputs.version);
      const part = step.inputs.part || partFrom(step.inputs.changes);
      const next = {
        major: `${major + 1}.0.0`,
        minor: `${major}.${minor + 1}.0`,
        patch: `${major}.${minor}.${patch + 1}`,
      }[part];
      if (next === undefined) {
        throw new Error(`part must be major, minor or patch, not "${part}"`);
      }
      step.log(`${step.inputs.version} -> ${next} (${part})`);
      step.outputs.version = next;
      step.outputs.part = part;
    },
  },

  slack_message: {
    summary: 'Formats a release announcement as a Slack webhook payload.',
    params: {
      version: { type: 'string', summary: 'the version released' },
      changes: { type: 'list', default: [], summary: 'commit subjects, shown as a list' },
      channel: { type: 'string', default: '#releases' },
    },
    outputs: ['payload', 'text'],
    run(step) {
      const { version, changes, channel } = step.inputs;
      const text = `Released ${version}`;
      const list = changes.length === 0 ? '_no changes listed_' : changes.map((c) => `• ${c}`).join('\n');
      step.outputs.text = text;
      // An object output is passed on as JSON text, ready for `notify.webhook payload:`.
      step.outputs.payload = {
        channel,
        text,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text } },
          { type: 'section', text: { type: 'mrkdwn', text: list } },
        ],
      };
      step.log(`message for ${channel}: ${text}, ${changes.length} change(s)`);
    },
  },
};
