/** Demo catalog, part 2: what runs behind the desk (network, security, backups). */
import type { IssueSpec } from './catalog-types';

export const NETWORK: IssueSpec = {
  name: 'Network',
  weight: 12,
  queue: 'Network Operations',
  vagueTitles: ['Network [problem|issue] at {site}', 'Connection problems', 'Network [slow|acting up]'],
  vagueDetails: ['We are having network trouble at {site} {time}.', 'The connection keeps [going in and out|acting up].'],
  subs: [
    {
      name: 'Internet Outage',
      weight: 3,
      severity: 2,
      types: { Incident: 9, Problem: 1 },
      titles: [
        'Internet down at {site}',
        '[No internet|Internet outage] [at the office|at {site}]',
        '{isp} circuit down',
        'Internet [dropping|going down] every [hour|few minutes]',
      ],
      details: [
        'The internet at {site} is down {time}, the {firewall} shows the WAN as disconnected.',
        'Nobody has internet access; {isp} says [there is no outage on their side|a tech is scheduled].',
        'The internet drops [every hour|several times a day] for a few minutes and then comes back.',
      ],
      confusedWith: 'Wi-Fi',
    },
    {
      name: 'Wi-Fi',
      weight: 3,
      severity: 1,
      types: { Incident: 8, 'Service Request': 2 },
      titles: [
        '[Wi-Fi|WiFi|Wireless] [keeps dropping|not connecting] on {computer}',
        '{ssid} [not showing up|password not working]',
        'Weak Wi-Fi signal in {site}',
        'Guest Wi-Fi password change',
      ],
      details: [
        'The {ssid} network [keeps disconnecting|drops every few minutes] on my {computer}.',
        'The Wi-Fi signal in {site} is [very weak|gone], the {network_gear} light is [orange|off].',
        'Please change the guest Wi-Fi password and send the new one to the front desk.',
      ],
      confusedWith: 'Internet Outage',
    },
    {
      name: 'VPN',
      weight: 3,
      severity: 1,
      types: { Incident: 8, 'Service Request': 2 },
      titles: [
        'VPN [not connecting|will not connect] from home',
        'VPN {vpn_error}',
        'VPN [disconnects|drops] every few minutes',
        'Set up VPN for {first}',
      ],
      details: [
        'I cannot connect to the VPN from home, it fails with {vpn_error}.',
        'The VPN [connects but I cannot reach {server}|drops every few minutes] {time}.',
        'Please set up VPN access for {first}, [she|he] starts working remotely on {day}.',
      ],
    },
    {
      name: 'Firewall Rule Change',
      weight: 2,
      severity: 0,
      types: { 'Change Request': 8, 'Service Request': 2 },
      titles: [
        'Open port {port} on {firewall}',
        'Whitelist [vendor|new] IP on firewall',
        'Port forward for {lob_app} server',
        'Block [a website|social media] for {dept}',
      ],
      details: [
        'Please open port {port} on the {firewall} to {server} for the {lob_app} vendor.',
        'Our vendor needs their IP address whitelisted on the {firewall} [before {day}|for the upgrade].',
        'Can you block [social media|streaming sites] for the {dept} VLAN on the firewall?',
      ],
    },
    {
      name: 'Mapped Drive',
      weight: 2,
      severity: 1,
      types: { Incident: 9, Problem: 1 },
      titles: [
        '{share} [missing|disconnected|not showing]',
        '[Cannot|Can\'t] reach {server}',
        'Mapped drives gone after [reboot|update]',
        'Red X on {share}',
      ],
      details: [
        'My {share} shows a red X and says the network path was not found {time}.',
        'Nobody in {dept} can open files on {server}, it times out.',
        'After the reboot my mapped drives [are gone|do not reconnect] and I cannot reach {server}.',
      ],
      confusedWith: 'Folder Permissions',
    },
  ],
};

export const SECURITY: IssueSpec = {
  name: 'Security',
  weight: 8,
  queue: 'Security Operations',
  vagueTitles: ['Security concern', 'Something suspicious on my computer', 'Possible security issue'],
  vagueDetails: ['I think something suspicious is going on with my account or computer.', 'Please check this, it looks like a security problem.'],
  subs: [
    {
      name: 'Phishing',
      weight: 4,
      severity: 1,
      types: { Incident: 10 },
      titles: [
        'Suspicious email [from "{company}"|about an invoice|asking for gift cards]',
        '[Clicked|I clicked] a link in a phishing email',
        'Possible phishing [email|message] received',
        'Fake [DocuSign|Microsoft] login email',
      ],
      details: [
        'I received an email [asking me to verify my password|with an invoice from a vendor I do not know|from the CEO asking for gift cards].',
        'I [clicked the link|opened the attachment] in an email that looks like phishing and entered my password.',
        'Several people in {dept} got a fake [DocuSign|Microsoft 365] sign-in email {time}.',
      ],
      confusedWith: 'Spam Filtering',
    },
    {
      name: 'Malware',
      weight: 2,
      severity: 2,
      types: { Incident: 10 },
      titles: [
        '{av} [alert|detected a threat] on {computer}',
        '[Virus|Malware] [warning|popup] on my PC',
        'Files renamed [with strange extension|and encrypted]',
        'Browser [redirecting|showing popups]',
      ],
      details: [
        '{av} [quarantined a file|raised a threat alert] on {first}\'s {computer} {time}.',
        'My browser keeps [opening ads|redirecting to strange sites] and there is a new toolbar.',
        'Files on the {share} now have a strange extension and there is a ransom note.',
      ],
    },
    {
      name: 'Compromised Account',
      weight: 2,
      severity: 3,
      types: { Incident: 10 },
      titles: [
        '[Account hacked|Compromised account] for {first}',
        'Unexpected MFA prompts [all day|at night]',
        'Sign-in from {country} on {first}\'s account',
        'Emails sent from my account that I did not send',
      ],
      details: [
        'I keep getting MFA prompts that I did not start, [I approved one by mistake|even at night].',
        'Microsoft 365 shows a successful sign-in from {country} on {first}\'s account.',
        'Customers received emails from my mailbox that I never sent, and there is a new inbox rule.',
      ],
    },
    {
      name: 'Security Alert',
      weight: 2,
      severity: 1,
      types: { Incident: 6, Problem: 4 },
      titles: [
        'Failed logon alerts on {server}',
        '{av} agent offline on {n} machines',
        'Review [SIEM|EDR] alert for {server}',
        'Impossible travel alert for {first}',
      ],
      details: [
        'We got alerts for [hundreds of failed logons|Event ID 4625] on {server} overnight.',
        'The {av} console shows {n} machines [not checking in|with protection disabled].',
        'Please review the [impossible travel|unusual sign-in] alert for {first} from {time}.',
      ],
    },
  ],
};

export const BACKUP: IssueSpec = {
  name: 'Backup',
  weight: 5,
  queue: 'Tier 2 Support',
  vagueTitles: ['Backup [issue|question]', '{backup_product} backup problem'],
  vagueDetails: ['Something is wrong with our backups.', 'Please check the {backup_product} backups.'],
  subs: [
    {
      name: 'Backup Failure',
      weight: 4,
      severity: 1,
      types: { Incident: 7, Problem: 3 },
      titles: [
        '{backup_product} backup failed for {server}',
        'Backup job [failing|failed] [for 3 nights|again]',
        '{backup_product} [screenshot verification|offsite sync] failed',
        'Backup [alert|warning] from {backup_product}',
      ],
      details: [
        'The {backup_product} backup of {server} [failed last night|has failed three nights in a row].',
        'The {backup_product} [offsite sync|screenshot verification] for {server} keeps failing with [a VSS error|a timeout].',
        'We received a backup failure alert for {server} {time}.',
      ],
    },
    {
      name: 'File Restore',
      weight: 3,
      severity: 1,
      types: { 'Service Request': 9, Incident: 1 },
      titles: [
        'Restore [deleted|overwritten] [folder|file] on {share}',
        'Need a file restored from backup',
        'Recover [deleted emails|an old version of a spreadsheet]',
        'Restore {dept} folder from [last week|Friday]',
      ],
      details: [
        '{first} [accidentally deleted|overwrote] a folder on the {share}, can you restore it from [yesterday|last Friday]?',
        'Please restore the previous version of a spreadsheet in the {dept} folder from before {time}.',
        'I need [deleted emails|a deleted folder] recovered from [last week|the backup].',
      ],
    },
    {
      name: 'Backup Configuration',
      weight: 2,
      severity: 0,
      types: { 'Change Request': 7, 'Service Request': 3 },
      titles: [
        'Add {server} to {backup_product} backups',
        'Change backup retention [to 90 days|policy]',
        'Back up Microsoft 365 mailboxes',
        'Move backup window to [night|after 10pm]',
      ],
      details: [
        'Please add the new {server} to the {backup_product} backup schedule.',
        'We need the backup retention changed [to 90 days|to one year] for compliance.',
        'The backup window slows down {lob_app}, please move it to after 10pm [starting {day}|this week].',
      ],
    },
  ],
};
