export const steps = {
  bump: {
    params: { version: { type: 'semver' } },
    run(step) {},
  },
};
