export const steps = {
  bump: {
    summary: 'Works out the next version.',
    params: {
      version: { type: 'string', positional: true },
      part: { type: 'string', default: 'patch' },
      dry_run: { type: 'bool', default: false },
      wait: { type: 'duration', default: 0 },
    },
    outputs: ['version'],
    run(step) { step.outputs.version = step.inputs.version; },
  },
  notes: {
    params: { since: 'string', limit: { type: 'number', required: false } },
    outputs: ['markdown'],
    run(step) { step.outputs.markdown = ''; },
  },
};
