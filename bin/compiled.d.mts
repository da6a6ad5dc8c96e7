/** The compiled twin of a source file, or null when there is no fresh build. */
export declare function compiled(sourcePath: string, root?: string): string | null;
