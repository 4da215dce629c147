DROP TABLE policy_state;
