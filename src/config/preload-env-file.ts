import { loadEnvFile } from './env-file';

/**
 * Import this first in an entry point (`import './config/preload-env-file';`) so `.env` is in
 * the environment before any other module reads it: the logger takes LOG_LEVEL when it is
 * created, and child loggers keep the level they were created with. ES modules run their
 * imports in order, so nothing imported after this one sees the environment without `.env`.
 */
loadEnvFile();
