/** Demo catalog, part 3: mail and the people behind accounts (email, access, joiners and leavers). */
import type { IssueSpec } from './catalog-types';

export const EMAIL: IssueSpec = {
  name: 'Email',
  weight: 12,
  queue: 'Tier 1 Support',
  vagueTitles: ['Email [problem|issue]', 'Problem with Outlook', 'Issue with my email {time}'],
  vagueDetails: ['Something is wrong with my email {time}.', 'Outlook is not behaving normally.'],
  subs: [
    {
      name: 'Outlook Connectivity',
      weight: 4,
      severity: 1,
      types: { Incident: 9, Problem: 1 },
      titles: [
        'Outlook [disconnected|not connecting|stuck on trying to connect]',
        'Outlook error {mail_error}',
        'Outlook keeps asking for password',
        'Emails not [syncing|updating] in Outlook',
      ],
      details: [
        'Outlook says [disconnected|trying to connect] {time} and no new mail arrives.',
        'Outlook shows error {mail_error} when sending or receiving.',
        'Outlook [keeps prompting for my password|will not open past the loading profile screen].',
      ],
      confusedWith: 'Mailbox Full',
    },
    {
      name: 'Mailbox Full',
      weight: 2,
      severity: 0,
      types: { Incident: 7, 'Service Request': 3 },
      titles: [
        'Mailbox [full|almost full] warning',
        '[Cannot|Can\'t] send, mailbox over quota',
        'Increase mailbox size for {first}',
        'Set up archiving for {first}\'s mailbox',
      ],
      details: [
        'I get a warning that my mailbox is full and I [cannot send|will stop receiving] emails.',
        '{first}\'s mailbox is at [49|50] GB, can we [enable archiving|increase the size]?',
        'Outlook says the mailbox is over its quota and [sending is disabled|messages bounce].',
      ],
    },
    {
      name: 'Spam Filtering',
      weight: 2,
      severity: 0,
      types: { Incident: 6, 'Service Request': 4 },
      titles: [
        '[Getting lots of|Too much] spam',
        'Emails from {company} going to junk',
        'Whitelist [a vendor|{company}] domain',
        'Release quarantined email',
      ],
      details: [
        'Emails from {company} [keep landing in junk|are quarantined] and we miss invoices.',
        'I am getting [dozens|hundreds] of spam emails a day {time}.',
        'Please release the message from {company} that is stuck in quarantine and whitelist their domain.',
      ],
      confusedWith: 'Delivery Failure',
    },
    {
      name: 'Delivery Failure',
      weight: 2,
      severity: 1,
      types: { Incident: 8, Problem: 2 },
      titles: [
        'Emails bouncing [back|with {smtp_error}]',
        'Customers not receiving our emails',
        'Undeliverable message {smtp_error}',
        '[Cannot|Can\'t] email {company}',
      ],
      details: [
        'Emails to {company} bounce back with {smtp_error}.',
        'Customers say they are not receiving our emails {time}, nothing bounces.',
        'Every message I send to external addresses comes back undeliverable with {smtp_error}.',
      ],
      confusedWith: 'Spam Filtering',
    },
    {
      name: 'Shared Mailbox & Lists',
      weight: 2,
      severity: 0,
      types: { 'Service Request': 9, 'Change Request': 1 },
      titles: [
        'Add {first} to [the|a] shared mailbox',
        'Create [distribution list|shared mailbox] for {dept}',
        'Remove {first} from {dept} distribution list',
        'Shared mailbox not showing in Outlook',
      ],
      details: [
        'Please give {first} [full access|send-as rights] to the {dept} shared mailbox.',
        'We need a new [distribution list|shared mailbox] called {dept}@ for the team.',
        'The {dept} shared mailbox [disappeared from|is not showing up in] my Outlook.',
      ],
    },
  ],
};

export const ACCESS: IssueSpec = {
  name: 'Access/Accounts',
  weight: 13,
  queue: 'Tier 1 Support',
  vagueTitles: ['Login [problem|issue]', '[Cannot|Can\'t] get in', 'Account problem for {first}'],
  vagueDetails: ['I am having trouble logging in {time}.', '{first} cannot get into [their account|the system].'],
  subs: [
    {
      name: 'Password Reset',
      weight: 4,
      severity: 0,
      types: { 'Service Request': 8, Incident: 2 },
      titles: [
        'Password reset [for|request for] {first}',
        'Forgot [my|Windows] password',
        'Password expired, [cannot|can\'t] log in',
        'Reset {lob_app} password',
      ],
      details: [
        '{first} forgot [her|his] password and [cannot log in|is locked out of the PC]. Please reset it.',
        'My password expired [over the weekend|while I was on vacation] and I cannot change it.',
        'Please reset my {lob_app} password, the reset link [never arrives|does not work].',
      ],
      confusedWith: 'Account Lockout',
    },
    {
      name: 'Account Lockout',
      weight: 3,
      severity: 1,
      types: { Incident: 9, Problem: 1 },
      titles: [
        'Account locked out [again|{time}]',
        '{first} locked out of [Windows|Microsoft 365|the domain]',
        'Keeps getting locked out',
        'User account disabled',
      ],
      details: [
        'My account [gets locked|keeps locking] every [few minutes|morning] even with the right password.',
        '{first} is locked out of [Windows|Microsoft 365] after too many attempts {time}.',
        'My account says it is disabled and I cannot sign in to anything.',
      ],
      confusedWith: 'Password Reset',
    },
    {
      name: 'MFA',
      weight: 2,
      severity: 0,
      types: { 'Service Request': 8, Incident: 2 },
      titles: [
        'Set up MFA on new phone',
        'Reset MFA for {first}',
        'Authenticator app not [working|showing codes]',
        'Not receiving MFA codes',
      ],
      details: [
        'I got a new {mobile} and need to move my Authenticator [app|codes] to it.',
        '{first} [lost|replaced] [her|his] phone, please reset the MFA registration.',
        'I [do not get the text code|get no push notification] when signing in {time}.',
      ],
    },
    {
      name: 'Folder Permissions',
      weight: 2,
      severity: 0,
      types: { 'Service Request': 9, Incident: 1 },
      titles: [
        'Access to {share} for {first}',
        '[Access denied|Permission denied] on {dept} folder',
        'Give {first} [read|edit] rights to {share}',
        'Remove {first}\'s access to {dept} folder',
      ],
      details: [
        'Please give {first} [read|read and write] access to the {dept} folder on {server}.',
        'I get access denied when I open the {dept} folder on the {share}.',
        '{first} moved to another team, please remove [her|his] access to the {dept} share.',
      ],
      confusedWith: 'Mapped Drive',
    },
    {
      name: 'Application Access',
      weight: 2,
      severity: 0,
      types: { 'Service Request': 10 },
      titles: [
        'Access to {lob_app} for {first}',
        'Create {lob_app} account for [new hire|{first}]',
        'Add {first} to {lob_app}',
        'Grant admin rights in {lob_app}',
      ],
      details: [
        'Please create a {lob_app} account for {first} in {dept}.',
        '{first} needs access to {lob_app} [with the same rights as|like] {user}.',
        'Can you give me [admin|manager] rights in {lob_app}? My manager approved it.',
      ],
    },
  ],
};

export const LIFECYCLE: IssueSpec = {
  name: 'User Lifecycle',
  weight: 7,
  queue: 'Tier 1 Support',
  vagueTitles: ['Staff change in {dept}', 'HR update for {first}'],
  vagueDetails: ['We have a staffing change in {dept}.', 'HR asked me to let you know about {user}.'],
  subs: [
    {
      name: 'New User Onboarding',
      weight: 4,
      severity: 0,
      types: { 'Service Request': 10 },
      titles: [
        'New hire: {user} starting {day}',
        'Onboarding for {user} in {dept}',
        'Set up new employee [account|accounts and laptop]',
        'New user request: {user}',
      ],
      details: [
        '{user} starts in {dept} on {day}, please set up email, a {laptop} and access to {lob_app}.',
        'We have a new employee starting [Monday|next week]; please copy the permissions of {user}.',
        'Please create accounts for our new [hire|receptionist|technician] {user} before {day}.',
      ],
      confusedWith: 'User Change',
    },
    {
      name: 'User Offboarding',
      weight: 3,
      severity: 1,
      types: { 'Service Request': 10 },
      titles: [
        'Offboarding: {user} [leaving|last day] {day}',
        'Disable account for {user}',
        'Terminated employee {user}',
        'Employee leaving, convert mailbox to shared',
      ],
      details: [
        '{user} [leaves|left] the company [on {day}|today]; please disable the account and forward email to {first}.',
        'Please disable {user} immediately and collect the {laptop}.',
        'Convert {user}\'s mailbox to shared and give {first} access.',
      ],
    },
    {
      name: 'User Change',
      weight: 2,
      severity: 0,
      types: { 'Service Request': 9, 'Change Request': 1 },
      titles: [
        'Name change for {first}',
        '{first} moving to {dept}',
        'Update title and signature for {user}',
        'Transfer {user} to [another|the {dept}] team',
      ],
      details: [
        '{first} [got married|changed her name], please update the email address and display name.',
        '{user} is moving to {dept} on {day}, please update group memberships and drives.',
        'Please update the job title in the directory and email signature for {user}.',
      ],
    },
  ],
};
