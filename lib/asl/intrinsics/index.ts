// Every ASL intrinsic function (States.Format, States.Array, ...): parse once, evaluate many times.
export { compileIntrinsic, evaluateIntrinsic, type CompiledIntrinsic } from './evaluate.js';
export {
  IntrinsicSyntaxError,
  intrinsicSyntaxError,
  isIntrinsicCall,
  parseIntrinsic,
  type IntrinsicArgument,
  type IntrinsicCall,
} from './parse.js';
export { INTRINSIC_FUNCTION_NAMES } from './registry.js';
