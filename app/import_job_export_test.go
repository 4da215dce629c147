package app

// ImportSlot lets the external tests occupy the import worker, so that a job they start
// stays queued (and held) for as long as they need it to.
var ImportSlot = importSlot
