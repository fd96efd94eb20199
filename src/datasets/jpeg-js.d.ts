// The decoder half of jpeg-js (imported alone so that bundles leave out its encoder); jpeg-js types only its index.
declare module 'jpeg-js/lib/decoder.js' {
  export default function decode(
    jpegData: Uint8Array,
    opts: { useTArray: true; formatAsRGBA?: boolean; colorTransform?: boolean; tolerantDecoding?: boolean; maxResolutionInMP?: number; maxMemoryUsageInMB?: number },
  ): { width: number; height: number; data: Uint8Array };
}
