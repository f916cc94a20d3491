const config = JSON.parse('{ not json');

export const steps = {
  bump: { run(step) {} },
};
