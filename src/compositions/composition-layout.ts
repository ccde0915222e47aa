import { validatePattern, validateWholeAtLeast } from '../private/validation';

/**
 * A participant attribute name as StartComposition takes it: up to 128 letters, digits, `-` and `_`
 * (GridConfiguration, PipConfiguration).
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_PipConfiguration.html
 */
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_-]{0,128}$/;
const ATTRIBUTE_WHAT = 'a participant attribute name: up to 128 letters, digits, - and _';

/**
 * Options of a grid layout (StartComposition's `GridConfiguration`).
 */
export interface GridLayoutOptions {
  /**
   * The participant attribute that, set to `"true"`, features a participant (shown larger).
   *
   * @default - no participant is featured
   */
  readonly featuredParticipantAttribute?: string;

  /**
   * Pixels between the participants' tiles (0 or more).
   *
   * @default - IVS's default: 2 in a grid, 0 in picture-in-picture
   */
  readonly gridGap?: number;

  /**
   * Whether participants who stopped sending video are left out of the layout.
   *
   * @default false (IVS's default)
   */
  readonly omitStoppedVideo?: boolean;

  /**
   * The participant attribute holding a number that orders the participants' tiles.
   *
   * @default - the order participants joined in
   */
  readonly participantOrderAttribute?: string;
}

/**
 * Options of a picture-in-picture layout (StartComposition's `PipConfiguration`).
 */
export interface PipLayoutOptions extends GridLayoutOptions {
  /**
   * The participant attribute that, set to `"true"`, puts a participant in the small window.
   *
   * @default - the window shows no participant chosen by attribute
   */
  readonly pipParticipantAttribute?: string;

  /**
   * Width of the small window, in pixels (1 or more).
   *
   * @default - IVS's default
   */
  readonly pipWidth?: number;

  /**
   * Height of the small window, in pixels (1 or more).
   *
   * @default - IVS's default
   */
  readonly pipHeight?: number;

  /**
   * Pixels between the small window and the edges of the video (0 or more).
   *
   * @default 0 (IVS's default)
   */
  readonly pipOffset?: number;
}

/**
 * How a composition arranges the stage's participants (StartComposition, `layout`).
 */
export class CompositionLayout {
  /** Every participant in a grid (IVS's default layout). */
  public static grid(options: GridLayoutOptions = {}): CompositionLayout {
    return new CompositionLayout('grid', { Grid: gridOf(options) });
  }

  /** One participant over the whole video, another in a small window. */
  public static pip(options: PipLayoutOptions = {}): CompositionLayout {
    validatePattern('pipParticipantAttribute', options.pipParticipantAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
    validateWholeAtLeast('pipWidth', options.pipWidth, 1);
    validateWholeAtLeast('pipHeight', options.pipHeight, 1);
    validateWholeAtLeast('pipOffset', options.pipOffset, 0);
    return new CompositionLayout('pip', {
      Pip: {
        ...gridOf(options),
        ...defined({
          PipParticipantAttribute: options.pipParticipantAttribute,
          PipWidth: options.pipWidth,
          PipHeight: options.pipHeight,
          PipOffset: options.pipOffset,
        }),
      },
    });
  }

  private constructor(
    /** `grid` or `pip`. */
    public readonly kind: string,
    private readonly configuration: Record<string, unknown>,
  ) {}

  /**
   * The layout as StartComposition takes it in Step Functions (PascalCase).
   * @internal
   */
  public _render(): Record<string, unknown> {
    return this.configuration;
  }
}

function gridOf(options: GridLayoutOptions): Record<string, unknown> {
  validatePattern('featuredParticipantAttribute', options.featuredParticipantAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
  validatePattern('participantOrderAttribute', options.participantOrderAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
  validateWholeAtLeast('gridGap', options.gridGap, 0);
  return defined({
    FeaturedParticipantAttribute: options.featuredParticipantAttribute,
    GridGap: options.gridGap,
    OmitStoppedVideo: options.omitStoppedVideo,
    ParticipantOrderAttribute: options.participantOrderAttribute,
  });
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
