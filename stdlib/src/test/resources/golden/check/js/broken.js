export const steps = {
  bump: {
    run(step) { step.outputs.version = ; },
  },
};
