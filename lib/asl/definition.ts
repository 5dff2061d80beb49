import type { Json, JsonObject } from './json.js';

/** Amazon States Language, as lib/asl reads it once validate.ts has accepted the text. */
export type QueryLanguage = 'JSONPath' | 'JSONata';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: Json;
  Assign?: JsonObject;
}

export interface ChoiceRule extends JsonObject {}

/** Every field any state may carry; which apply is decided by `Type` (validate.ts enforces the rest). */
export interface StateDefinition {
  Type: StateType;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Next?: string;
  End?: boolean;
  // JSONPath processing
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: Json;
  ResultSelector?: Json;
  // JSONata processing
  Arguments?: Json;
  Output?: Json;
  // Variables
  Assign?: JsonObject;
  // Pass
  Result?: Json;
  // Task
  Resource?: string;
  TimeoutSeconds?: number | string;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number | string;
  HeartbeatSecondsPath?: string;
  Credentials?: Json;
  // Retry / Catch
  Retry?: Retrier[];
  Catch?: Catcher[];
  // Choice
  Choices?: ChoiceRule[];
  Default?: string;
  // Wait
  Seconds?: number | string;
  Timestamp?: string;
  SecondsPath?: string;
  TimestampPath?: string;
  // Fail
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
  // Parallel
  Branches?: SubMachine[];
  // Map
  ItemProcessor?: ItemProcessor;
  Iterator?: SubMachine;
  ItemsPath?: string;
  Items?: Json;
  ItemSelector?: Json;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  Label?: string;
  ItemReader?: JsonObject;
  ItemBatcher?: JsonObject;
  ResultWriter?: JsonObject;
}

export interface SubMachine {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
}

export interface ItemProcessor extends SubMachine {
  ProcessorConfig?: { Mode?: 'INLINE' | 'DISTRIBUTED'; ExecutionType?: 'STANDARD' | 'EXPRESS' };
}

export interface StateMachineDefinition extends SubMachine {
  QueryLanguage?: QueryLanguage;
  TimeoutSeconds?: number;
  Version?: string;
}
