// Declarations for the CLI's untyped dependencies: only what the CLI calls (no @types packages are installed).
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: { format?: string; stream?: NodeJS.WritableStream; noTTYOutput?: boolean; hideCursor?: boolean; clearOnComplete?: boolean }, preset?: unknown);
    start(total: number, value: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    stop(): void;
  }
  export const Presets: { shades_classic: unknown };
}

declare module 'pngjs' {
  export const PNG: {
    sync: {
      read(buffer: Uint8Array): { width: number; height: number; data: Uint8Array };
      write(png: { width: number; height: number; data: Uint8Array }, options?: { colorType?: number }): Uint8Array;
    };
  };
}

declare module 'jpeg-js/lib/encoder.js' {
  export default function encode(image: { width: number; height: number; data: Uint8Array }, quality?: number): { data: Uint8Array };
}
