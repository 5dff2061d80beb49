/** A path that is not JSONPath as AWS reads it; the path reader turns it into a States.Runtime cause. */
export class PathSyntaxError extends Error {}
