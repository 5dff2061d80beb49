import { joinChildPrefix, NO_ATTEMPTS, NO_VARIABLES, type Frame, type Join } from '../frame.js';
import type { Json, JsonObject } from '../json.js';
import type { Step } from '../step.js';

/**
 * A child frame of the current state: a Parallel branch or a Map iteration. It reads the variables its
 * parent sees as they are now (AWS: inner scopes read outer ones; a DISTRIBUTED map's do not) and
 * assigns into its own scope only. The parent's join must be set first: the child's id names it.
 */
export function childFrame(step: Step, index: number, scopeKey: string, startAt: string, input: Json, silent = false, isolated = false): Frame {
  const parent = step.frame;
  // Every field present, in nextFrame's order: one shape for every frame, and no spread per child.
  return {
    id: `${childIdPrefix(parent)}${index}`,
    parentId: parent.id,
    index,
    scopeKey,
    silent: silent || parent.silent ? true : undefined,
    announce: undefined,
    sequence: 0,
    stateName: startAt,
    input,
    phase: 'enter',
    enteredEventId: 0,
    enteredAt: step.env.now,
    lastEventId: parent.lastEventId,
    enteredPreviousEventId: undefined,
    attempts: NO_ATTEMPTS,
    variables: NO_VARIABLES,
    outerVariables: isolated ? undefined : visibleVariables(parent),
    pendingOutput: undefined,
    pendingAssign: undefined,
    join: undefined,
    task: undefined,
  };
}

/**
 * What a frame's children read as outer variables: its own over those around it. Variables objects
 * are replaced, never changed, so where one side is empty the other is shared rather than copied
 * (a Map of 10,000 iterations in a scope that assigned nothing copies nothing).
 */
function visibleVariables(parent: Frame): JsonObject | undefined {
  const outer = parent.outerVariables;
  if (isEmpty(parent.variables)) return outer;
  if (outer === undefined || isEmpty(outer)) return parent.variables;
  return { ...outer, ...parent.variables };
}

function isEmpty(object: JsonObject): boolean {
  for (const _ in object) return false;
  return true;
}

// A join's children are made together (a Parallel's branches, the iterations a Map starts at once) and
// their ids share the join's prefix: it is made once per join, not once per child. A join object stands
// for the frame and epoch the prefix is made of; the WeakMap holds none once its frame is gone.
const prefixes = new WeakMap<Join, string>();

function childIdPrefix(parent: Frame): string | undefined {
  const { join } = parent;
  if (join === undefined) return joinChildPrefix(parent);
  let prefix = prefixes.get(join);
  if (prefix === undefined) {
    prefix = joinChildPrefix(parent)!;
    prefixes.set(join, prefix);
  }
  return prefix;
}
