// What non-delivery reports look like when they are not RFC 3464 reports (and the
// human text of those that are): who sends them, their subjects, the opening words of
// each mail server's report, where the returned original starts, and the wording of a
// temporary failure. Written from the servers' sources and documentation (Postfix
// bounce templates, Exim deliver.c, qmail-send, Sendmail, Courier, Exchange/Office 365
// NDRs in their languages, Gmail, Yahoo, Domino, GroupWise, MDaemon, ...).
// Every pattern is plain alternation of fixed words, so matching stays linear.

const words = (list: string[], flags = 'i') => new RegExp(list.join('|'), flags);

/** Local parts of the addresses reports come from. */
export const DAEMON_ADDRESS =
  /^(mailer[-_]?daemon|mail[-_]?daemon|postmaster|mdaemon|mailrouter|mail[-_.]?delivery[-_.]?(system|subsystem)?|microsoftexchange[0-9a-f]*)(@|$)/i;

/** Display names of the same senders ("Mail Delivery System" <...>). */
export const DAEMON_NAME = words([
  '^mail delivery (system|subsystem|service|agent)', '^mailer[- ]?daemon', 'postmaster', '^mail administrator',
  '^internet mail delivery', '^courier mail server', '^mail router', '^system administrator$',
  '^sistema de entrega', '^e-?mail delivery system',
]);

/** Subjects of reports (after no Re:/Fwd: prefix). */
export const REPORT_SUBJECT = words([
  'undeliver', 'undelivered', 'returned mail', 'returned to sender', 'failure notice', 'mail delivery fail',
  'mail failure', 'delivery (status )?notification', 'delivery (has )?fail', 'delivery failure', 'delivery problem',
  'delivery delayed', 'delayed mail', 'delivery incomplete', 'non-?delivery', 'could not be delivered',
  'not delivered', 'could not send message', 'message frozen', 'warning: message \\S+ delayed',
  'notice: mail delivery status', 'warning: delayed mail', 'message status - undeliverable', '\\[bounce\\]',
  'permanent delivery failure', 'temporary delivery failure', 'message you sent blocked', 'mail could not be',
  'failure delivery', 'failed delivery', 'error sending your mail', 'mail system error', 'smtp server: errors from',
  'mail failed,',
  // German, French, Spanish, Portuguese, Italian, Dutch, Swedish, Russian, Japanese, Chinese
  'unzustellbar', 'nicht zustellbar', 'zustellung verzögert', 'zustellung fehlgeschlagen',
  'non remis', 'non_remis', 'échec de (la )?remise', 'remise retardée',
  'no se puede entregar', 'no entregado', 'no se pudo entregar', 'entrega retrasada',
  'não é possível entregar', 'não entregue', 'não foi possível entregar', 'entrega atrasada',
  'non recapitabile', 'non recapitato', 'recapito ritardato',
  'onbestelbaar', 'niet bezorgd', 'bezorging vertraagd', 'olevererbart',
  'недоставленное', 'не доставлено', 'не удалось доставить',
  '配信不能', '配信エラー', '配送エラー', '未配達', '退信', '无法投递', '投递失败',
  // Polish, Czech, Hungarian, Turkish, Danish/Norwegian, Swedish, Finnish, Korean
  'niedostarczalna', 'nie dostarczono', 'nedoručitelné', 'nedoručeno', 'kézbesíthetetlen', 'teslim edilemedi',
  'kan ikke leveres', 'ikke leverbar', 'kunde inte levereras', 'ei voitu toimittaa', '배달되지 않음', '전달 실패',
]);

/** A subject that answers or forwards: a human's message, whatever it quotes. */
export const REPLY_OR_FORWARD = /^\s*(re|aw|antw|sv|vs|odp|rif|r|res|ynt|fw|fwd|wg|tr|rv|enc|doorst|回复|答复|回覆|转发)\s*(\[\d+\]|\(\d+\))?\s*[:：]/i;

/** A subject an auto-reply gives itself ("Automatic reply: <our subject>"): its words are ours, not a report's. */
export const AUTO_REPLY_PREFIX =
  /^\s*(automatic reply|auto(matische)?[- ]?(reply|antwort|response)|auto|out of (the )?office|abwesenheit\w*|réponse automatique|respuesta automática|resposta automática|risposta automatica|automatisch antwoord|自動応答|自动回复)\s*[:：]/i;

/** Opening words of the report text of each kind of server. */
export const REPORT_TEXT = words([
  'this is the mail system at host', 'this is the postfix program', 'this is the qmail-send program',
  'hi. this is the', 'this message was created automatically by mail delivery software',
  'could not be delivered to one or more', 'delivery has failed to these recipients',
  'delivery is delayed to these recipients', "couldn't be delivered", 'could not be delivered',
  'cannot be delivered', 'was not delivered', "wasn't delivered", 'did not reach the following recipient',
  'permanent fatal errors', 'failed permanently', 'unable to deliver', "wasn't able to deliver",
  'was undeliverable', 'undeliverable mail', 'did not reach some or all', 'could not be reached',
  'the following addresses had', 'transcript of session follows', 'error occurred while trying to deliver',
  'error has occurred while attempting to deliver', 'has not yet been delivered', 'temporary problem delivering',
  'delivery incomplete', 'address not found', 'message not delivered', 'problem delivering your message',
  'delivery to the following recipient', 'failure reasons', 'delivery status notification',
  'fatal delivery errors', 'temporary delivery problems', 'has been delayed', 'was blocked by',
  'trouble delivering', 'had delivery errors', 'returned permanent errors', 'recipients were affected',
  'error delivering your mail', 'failed addresses follow', 'had delivery problems', 'following address failed',
  'die zustellung an folgende empfänger', 'nicht zugestellt werden', 'la remise à ces destinataires',
  "n'a pas pu être remis", 'error en la entrega', 'no pudo ser entregado', 'falha na entrega',
  'não foi possível entregar', 'recapito non riuscito', 'non è stato possibile recapitare',
  'bezorging is mislukt', 'niet worden afgeleverd', 'не удалось доставить', 'не может быть доставлено',
  '配信できませんでした', '配信されませんでした', '无法送达', '无法投递',
]);

/**
 * Lines where the returned original (or its headers) starts: what follows is the
 * message we sent, whose addresses are not the failed recipients.
 */
export const ORIGINAL_STARTS = words([
  'this is a copy of the message', 'below (this|the next) line is a copy', 'the header of the original',
  'original message headers', 'original message follows', 'possibly truncated original message',
  'below is a copy of the original', 'original (message|mail)( info)?\\s*[-:.]*$', 'returned message', 'unsent message follows',
  'undelivered message follows', 'forwarded message', 'message (headers?|text) follows?', 'the attachment contains the original',
  'original mail as follows', 'content-type: message/rfc822',
  'ursprüngliche nachrichtenkopfzeilen', 'en-têtes de message d', 'encabezados del mensaje original',
  'cabeçalhos da mensagem original', 'intestazioni originali del messaggio', 'oorspronkelijke berichtkoppen',
  'ursprungshuvuden', 'mensaje original', 'mensagem original', 'messaggio originale', 'originalnachricht',
  "message d'origine", 'oorspronkelijk bericht', 'исходное сообщение', '元のメッセージ', '原始邮件',
].map((w) => `^${w}`), 'i');
/** An inline copy that starts with its own headers, no marker line (Zoho, some qmail clones); not indented. */
export const ORIGINAL_HEADERS = /^(received|return-path|dkim-signature|message-id): /i;
/** Decoration before a marker: "------ ", "|----- ", "=== ". */
export const MARKER_DECORATION = /^[\s|=_*-]+/;

/** Lines of header fields (ours, quoted in the report text): their addresses are not failed recipients. */
export const HEADER_LINE =
  /^[\s*>]*(to|cc|bcc|from|sender|reply-to|return-path|message-id|in-reply-to|references|subject|date|sent|sender address|original sender|x-[\w-]+|original-mail-from|envelope-from|mail from)\s*:/i;
export const SENDER_MENTION = /mail from|a message sent by|sender ok|envelope[- ]from|envelope sender|x-postfix-sender/i;
/** Words before a helpdesk's address in a report ("please contact help@..."): not a failed recipient. */
export const HELP_MENTION = /\b(contact|please (e-?mail|write to)|send (an? )?(e-?mail|mail|message) to|for (help|assistance|support))\b[^\n]{0,80}$/i;

/** A notice that delivery is still being tried: never permanent, whatever codes it quotes. */
export const DELAY_SUBJECT = words([
  'delay', 'warning', 'verzögert', 'retardée?', 'retrasad', 'atrasad', 'ritardat', 'vertraagd', 'still being retried',
]);
export const DELAY_TEXT = words([
  'this is a warning', 'warning only', 'warning message only', 'will continue to be attempted',
  'delivery attempts will continue', 'delivery attempts are continuing', 'still being retried', 'will keep trying',
  'will be attempted again', 'will retry', 'has not yet been delivered', 'delivery incomplete', 'has been delayed',
  'delivery is delayed', 'is delayed to these', 'wird weiterhin versucht', 'ist verzögert', 'temporary delivery problems',
  'temporary problem delivering', 'no action is required on your part', 'will be retried', 'details of temporary failure',
]);

/** A full mailbox: recorded as a soft bounce (the address exists), whatever the class. */
export const QUOTA_TEXT = words([
  'mailbox (is )?full', 'mailbox full', 'inbox is full', 'quota', 'mailbox exceed', 'storage allocation', 'out of storage', 'insufficient (storage|space)',
  'not enough (free )?space', "recipient's mailbox is full", 'mailbox (size )?limit', 'postfach (ist )?voll',
  'boîte (aux lettres )?pleine', 'buzón (está )?lleno', 'caixa postal (está )?cheia', 'casella piena', 'postvak vol',
  'переполнен', '容量を超え', '容量超過', '邮箱已满',
]);

/** Wording of a temporary failure, when no code says which. */
export const SOFT_TEXT = words([
  'temporar', 'try again later', 'greylist', 'graylist', 'deferred', 'retry', 'too many connections',
  'service (not )?available', 'connection timed out', 'timed out', 'vorübergehend', 'temporairement',
]);

/** Wording of an address or domain that does not exist: permanent, whatever an unspecific x.0.0 says. */
export const HARD_TEXT = words([
  'user unknown', 'unknown user', 'no such user', 'no such (mailbox|recipient|address|domain)', 'does not exist',
  "doesn't exist", 'not exist', 'address not found', "couldn't be found", 'could not be found', 'not found',
  'mailbox unavailable', 'invalid (recipient|address|mailbox)', 'recipient rejected', 'unrouteable', 'unroutable',
  'null mx', "doesn't receive email", 'host not found', 'domain not found', 'no mailbox', 'not listed in',
  'account (is )?(disabled|inactive|closed|suspended)', 'unbekannt', 'existiert nicht', 'inconnu', "n'existe pas",
  'desconocido', 'no existe', 'inexistente', 'não existe', 'sconosciuto', 'inesistente', 'onbekend', 'bestaat niet',
  'не существует', '見つかりません', '存在しません', '不存在',
]);
