DROP TABLE onboarding_events;
--bun:split
DROP TABLE onboardings;
--bun:split
DROP TABLE platform_documents;
