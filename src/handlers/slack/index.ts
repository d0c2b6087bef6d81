/** The Slack front end: Bolt listeners over the core (DESIGN.md §8). */
export { SLACK_RETRY, createSlackFrontEnd, type SlackFrontEnd, type SlackFrontEndOptions } from './front-end.js';
export { SlackUserGroups, UserGroupsError, type UserGroupsClient, type UserGroupsOptions } from './user-groups.js';
export { ChannelPacer, type ChannelPacerOptions } from './channel-pacer.js';
