export function bump(step) {
  step.log('no declarations here');
}
