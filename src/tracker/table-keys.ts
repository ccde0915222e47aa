// The sort keys of the tracker's table, shared by the construct (which filters the stream
// on them) and the handler (which writes them); see the README's table contract.

/** The stage item: `pk` = stage ARN, `sk` = `STAGE`, holding `publishers`. */
export const STAGE_SK = 'STAGE';
