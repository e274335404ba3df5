// Every test process: pinned zone for luxon and Date, quiet logs unless asked for.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL ??= 'warn';
process.env.LOG_FORMAT ??= 'json';
