package app

// WriteNewArtisanTerms lets the tests of package app_test call writeNewArtisanTerms, the
// import's way of writing the terms of artisans it has just inserted.
var WriteNewArtisanTerms = writeNewArtisanTerms
