/**
 * Refusals of the full executable subset: what is structurally invalid
 * (`PROCOS_MODEL_INVALID`), what stays unsupported (`PROCOS_MODEL_UNSUPPORTED_ELEMENT`)
 * and what is Java (`PROCOS_MODEL_JAVA_IMPLEMENTATION`), each naming the element at fault
 * and the attribute, where one is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelErrors } from '../../src/model/index.js';
import { bpmn, refused } from './helpers.js';

const { INVALID, UNSUPPORTED_ELEMENT, JAVA_IMPLEMENTATION } = ModelErrors;

/** Root elements the cases refer to. */
const HEAD = `
  <bpmn:message id="Msg" name="msg" />
  <bpmn:message id="NoName" />
  <bpmn:signal id="Sig" name="sig" />
  <bpmn:escalation id="Esc" escalationCode="E1" />
  <bpmn:escalation id="EscNoCode" />
  <bpmn:error id="Err" errorCode="E" />`;

const START = '    <bpmn:startEvent id="s" />\n    <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t" />';
const END = '    <bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e" />\n    <bpmn:endEvent id="e" />';
/** A process start → `task` (id t) → end, with `extra` content and the root elements of HEAD. */
const around = (task: string, extra = ''): string => bpmn(`${START}\n    ${task}\n${END}${extra === '' ? '' : `\n${extra}`}`, { head: HEAD });
/** A process with exactly `content` and the root elements of HEAD. */
const only = (content: string): string => bpmn(content, { head: HEAD });

const timer = (body: string): string => `<bpmn:timerEventDefinition>${body}</bpmn:timerEventDefinition>`;
const duration = timer('<bpmn:timeDuration>PT1M</bpmn:timeDuration>');
/** A user task t with a boundary event b carrying `definition`. */
const boundary = (definition: string, attrs = ''): string => around('<bpmn:userTask id="t" />', `    <bpmn:boundaryEvent id="b" attachedToRef="t"${attrs}>${definition}</bpmn:boundaryEvent>`);
/** An intermediate catch or throw event in place of the task t. */
const catchEvent = (definition: string): string => around(`<bpmn:intermediateCatchEvent id="t">${definition}</bpmn:intermediateCatchEvent>`);
const throwEvent = (definition: string, ext = ''): string => around(`<bpmn:intermediateThrowEvent id="t">${ext}${definition}</bpmn:intermediateThrowEvent>`);
/** An event subprocess esp at process level with `content`. */
const esp = (content: string): string => around('<bpmn:task id="t" />', `    <bpmn:subProcess id="esp" triggeredByEvent="true">${content}</bpmn:subProcess>`);
const espStart = (definition: string, attrs = ''): string => esp(`<bpmn:startEvent id="es"${attrs}>${definition}</bpmn:startEvent><bpmn:sequenceFlow id="ef" sourceRef="es" targetRef="ee" /><bpmn:endEvent id="ee" />`);
/** A multi-instance user task t with `loop` content and attributes. */
const mi = (attrs: string, content = ''): string => around(`<bpmn:userTask id="t"><bpmn:multiInstanceLoopCharacteristics${attrs}>${content}</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`);
/** An event-based gateway t followed by `targets` (flows g1, g2 … to ids x1, x2 …). */
const gateway = (...targets: string[]): string =>
  around(
    '<bpmn:eventBasedGateway id="t" />',
    targets.map((el, i) => `    <bpmn:sequenceFlow id="g${i + 1}" sourceRef="t" targetRef="x${i + 1}" />\n    ${el.replace('ID', `x${i + 1}`)}`).join('\n'),
  ).replace('<bpmn:sequenceFlow id="f9" sourceRef="t" targetRef="e" />', '');
const catchMsg = '<bpmn:intermediateCatchEvent id="ID"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:intermediateCatchEvent>';
const catchTimer = `<bpmn:intermediateCatchEvent id="ID">${duration}</bpmn:intermediateCatchEvent>`;

/** One refusal: the document, the code, the element named first, its attribute, and a message pattern. */
interface Case {
  readonly name: string;
  readonly xml: string;
  readonly code: string;
  readonly elementId: string;
  readonly attribute?: string;
  readonly message?: RegExp;
}

async function check(cases: readonly Case[]): Promise<void> {
  for (const c of cases) {
    const { problems } = await refused(c.xml, c.code);
    const p = problems.find((x) => x.elementId === c.elementId && x.code === c.code);
    assert.ok(p !== undefined, `${c.name}: a ${c.code} problem names ${c.elementId}; got ${JSON.stringify(problems)}`);
    if (c.attribute !== undefined) assert.equal(p.attribute, c.attribute, `${c.name}: ${p.message}`);
    if (c.message !== undefined) assert.match(p.message, c.message, c.name);
  }
}

describe('structurally invalid', () => {
  it('refuses boundary events attached to nothing, to a non-activity, or to an event subprocess', async () => {
    await check([
      { name: 'no attachedToRef', xml: around('<bpmn:task id="t" />', `    <bpmn:boundaryEvent id="b">${duration}</bpmn:boundaryEvent>`), code: INVALID.code, elementId: 'b', attribute: 'attachedToRef' },
      {
        name: 'names nothing',
        xml: around('<bpmn:task id="t" />', `    <bpmn:boundaryEvent id="b" attachedToRef="ghost">${duration}</bpmn:boundaryEvent>`),
        code: INVALID.code,
        elementId: 'b',
        attribute: 'attachedToRef',
        message: /names no element/,
      },
      {
        name: 'a gateway',
        xml: around('<bpmn:exclusiveGateway id="t" />', `    <bpmn:boundaryEvent id="b" attachedToRef="t">${duration}</bpmn:boundaryEvent>`),
        code: INVALID.code,
        elementId: 'b',
        message: /names no activity .*exclusiveGateway/,
      },
      {
        name: 'an event subprocess',
        xml: espStart('<bpmn:messageEventDefinition messageRef="Msg" />').replace('</bpmn:process>', `<bpmn:boundaryEvent id="b" attachedToRef="esp">${duration}</bpmn:boundaryEvent></bpmn:process>`),
        code: INVALID.code,
        elementId: 'b',
        message: /event subprocess/,
      },
    ]);
  });

  it('refuses interrupting-only boundary events with cancelActivity="false", and cancel events outside transactions', async () => {
    await check([
      { name: 'error', xml: boundary('<bpmn:errorEventDefinition />', ' cancelActivity="false"'), code: INVALID.code, elementId: 'b', attribute: 'cancelActivity' },
      {
        name: 'cancel, non-interrupting',
        xml: around('<bpmn:transaction id="t"><bpmn:startEvent id="ts" /></bpmn:transaction>', '    <bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>'),
        code: INVALID.code,
        elementId: 'b',
        attribute: 'cancelActivity',
      },
      { name: 'cancel boundary on a task', xml: boundary('<bpmn:cancelEventDefinition />'), code: INVALID.code, elementId: 'b', attribute: 'attachedToRef', message: /transaction/ },
      {
        name: 'cancel end event in the process',
        xml: around('<bpmn:task id="t" />', '    <bpmn:endEvent id="c"><bpmn:cancelEventDefinition /></bpmn:endEvent>'),
        code: INVALID.code,
        elementId: 'c',
        message: /directly inside a transaction/,
      },
      {
        name: 'cancel end event in a subprocess inside a transaction',
        xml: around(
          '<bpmn:transaction id="t"><bpmn:startEvent id="ts" /><bpmn:sequenceFlow id="tf" sourceRef="ts" targetRef="inner" /><bpmn:subProcess id="inner"><bpmn:startEvent id="is" /><bpmn:sequenceFlow id="if" sourceRef="is" targetRef="c" /><bpmn:endEvent id="c"><bpmn:cancelEventDefinition /></bpmn:endEvent></bpmn:subProcess></bpmn:transaction>',
        ),
        code: INVALID.code,
        elementId: 'c',
      },
      {
        name: 'two cancel boundary events',
        xml: around(
          '<bpmn:transaction id="t"><bpmn:startEvent id="ts" /></bpmn:transaction>',
          '    <bpmn:boundaryEvent id="b1" attachedToRef="t"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>\n    <bpmn:boundaryEvent id="b2" attachedToRef="t"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>',
        ),
        code: INVALID.code,
        elementId: 't',
        message: /at most one cancel boundary event/,
      },
    ]);
  });

  it('refuses event subprocesses with flows in or out, without exactly one start event, or with a none start', async () => {
    await check([
      {
        name: 'flow into an event subprocess',
        xml: espStart('<bpmn:messageEventDefinition messageRef="Msg" />').replace('targetRef="e" />', 'targetRef="esp" />'),
        code: INVALID.code,
        elementId: 'esp',
        attribute: 'incoming',
        message: /event subprocess cannot have incoming or outgoing/,
      },
      {
        name: 'flow out of an event subprocess',
        xml: espStart('<bpmn:messageEventDefinition messageRef="Msg" />').replace('</bpmn:process>', '<bpmn:sequenceFlow id="out" sourceRef="esp" targetRef="e" /></bpmn:process>'),
        code: INVALID.code,
        elementId: 'esp',
        attribute: 'outgoing',
      },
      { name: 'no start event', xml: esp('<bpmn:task id="inner" />'), code: INVALID.code, elementId: 'esp', message: /exactly one start event.*none/ },
      {
        name: 'two start events',
        xml: esp('<bpmn:startEvent id="a"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent><bpmn:startEvent id="b"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:startEvent>'),
        code: INVALID.code,
        elementId: 'esp',
        message: /it has 2 \(a, b\)/,
      },
      { name: 'a none start event', xml: espStart(''), code: INVALID.code, elementId: 'es', attribute: 'eventDefinitions', message: /event subprocess needs an event definition/ },
      { name: 'terminate start', xml: espStart('<bpmn:terminateEventDefinition />'), code: INVALID.code, elementId: 'es', attribute: 'terminateEventDefinition' },
      { name: 'non-interrupting error start', xml: espStart('<bpmn:errorEventDefinition errorRef="Err" />', ' isInterrupting="false"'), code: INVALID.code, elementId: 'es', attribute: 'isInterrupting' },
      { name: 'loop on an event subprocess', xml: esp('<bpmn:standardLoopCharacteristics loopMaximum="2" /><bpmn:startEvent id="es"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent>'), code: INVALID.code, elementId: 'esp', attribute: 'standardLoopCharacteristics' },
    ]);
  });

  it('refuses start events that do not fit their scope, and a process with no start event at all', async () => {
    await check([
      { name: 'no start event', xml: only('    <bpmn:task id="t" />'), code: INVALID.code, elementId: 'p', attribute: 'startEvent', message: /no start event; add a none <startEvent>, or a message, timer, signal or conditional start event/ },
      {
        name: 'error start event at process level',
        xml: only('    <bpmn:startEvent id="s"><bpmn:errorEventDefinition /></bpmn:startEvent>'),
        code: INVALID.code,
        elementId: 's',
        attribute: 'errorEventDefinition',
        message: /a process start event cannot carry an errorEventDefinition/,
      },
      {
        name: 'message start event in an embedded subprocess',
        xml: around('<bpmn:subProcess id="t"><bpmn:startEvent id="ss"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent></bpmn:subProcess>'),
        code: INVALID.code,
        elementId: 'ss',
        message: /start event of an embedded subprocess or transaction cannot carry a messageEventDefinition/,
      },
      { name: 'transaction without start event', xml: around('<bpmn:transaction id="t"><bpmn:task id="inner" /></bpmn:transaction>'), code: INVALID.code, elementId: 't', message: /the transaction has no start event/ },
    ]);
  });

  it('refuses link throws without a matching catch in the same scope, duplicate catches, and flows on the wrong side', async () => {
    const link = (name: string): string => `<bpmn:linkEventDefinition name="${name}" />`;
    await check([
      { name: 'no catch', xml: around('<bpmn:task id="t" />', `    <bpmn:intermediateThrowEvent id="lt">${link('A')}</bpmn:intermediateThrowEvent>`), code: INVALID.code, elementId: 'lt', message: /no link catch event named "A" in the same scope/ },
      {
        name: 'catch in another scope',
        xml: around(
          `<bpmn:subProcess id="t"><bpmn:startEvent id="ss" /><bpmn:sequenceFlow id="sf" sourceRef="ss" targetRef="lt" /><bpmn:intermediateThrowEvent id="lt">${link('A')}</bpmn:intermediateThrowEvent></bpmn:subProcess>`,
          `    <bpmn:intermediateCatchEvent id="lc">${link('A')}</bpmn:intermediateCatchEvent>`,
        ),
        code: INVALID.code,
        elementId: 'lt',
      },
      {
        name: 'two catches of one name',
        xml: around('<bpmn:task id="t" />', `    <bpmn:intermediateCatchEvent id="c1">${link('A')}</bpmn:intermediateCatchEvent>\n    <bpmn:intermediateCatchEvent id="c2">${link('A')}</bpmn:intermediateCatchEvent>`),
        code: INVALID.code,
        elementId: 'c2',
        message: /already caught by "c1"/,
      },
      { name: 'throw with an outgoing flow', xml: throwEvent(link('A')), code: INVALID.code, elementId: 't', attribute: 'outgoing' },
      { name: 'catch with an incoming flow', xml: catchEvent(link('A')), code: INVALID.code, elementId: 't', attribute: 'incoming' },
      { name: 'no name', xml: around('<bpmn:task id="t" />', '    <bpmn:intermediateCatchEvent id="lc"><bpmn:linkEventDefinition /></bpmn:intermediateCatchEvent>'), code: INVALID.code, elementId: 'lc', attribute: 'linkEventDefinition' },
    ]);
  });

  it('refuses an event-based gateway followed by anything but catch events and receive tasks', async () => {
    await check([
      { name: 'a task', xml: gateway(catchMsg, '<bpmn:task id="ID" />'), code: INVALID.code, elementId: 't', attribute: 'outgoing', message: /not by x2 \(task\)/ },
      { name: 'a throw event and an end event', xml: gateway(catchTimer, '<bpmn:intermediateThrowEvent id="ID" />', '<bpmn:endEvent id="ID" />'), code: INVALID.code, elementId: 't', message: /not by x2 \(intermediateThrowEvent\), x3 \(endEvent\)/ },
      { name: 'one outgoing flow', xml: gateway(catchMsg), code: INVALID.code, elementId: 't', message: /at least two outgoing sequence flows/ },
      {
        name: 'a conditional flow',
        xml: gateway(catchMsg, catchTimer).replace('<bpmn:sequenceFlow id="g2" sourceRef="t" targetRef="x2" />', '<bpmn:sequenceFlow id="g2" sourceRef="t" targetRef="x2"><bpmn:conditionExpression>${x}</bpmn:conditionExpression></bpmn:sequenceFlow>'),
        code: INVALID.code,
        elementId: 'g2',
        attribute: 'conditionExpression',
      },
    ]);
  });

  it('refuses events without their required definition data', async () => {
    await check([
      { name: 'catch event without definition', xml: catchEvent(''), code: INVALID.code, elementId: 't', attribute: 'eventDefinitions' },
      { name: 'boundary event without definition', xml: boundary(''), code: INVALID.code, elementId: 'b', attribute: 'eventDefinitions' },
      { name: 'catching message without messageRef', xml: catchEvent('<bpmn:messageEventDefinition />'), code: INVALID.code, elementId: 't', attribute: 'messageRef' },
      { name: 'messageRef naming nothing', xml: catchEvent('<bpmn:messageEventDefinition messageRef="Ghost" />'), code: INVALID.code, elementId: 't', message: /messageRef="Ghost" names no element/ },
      { name: 'messageRef naming a signal', xml: catchEvent('<bpmn:messageEventDefinition messageRef="Sig" />'), code: INVALID.code, elementId: 't', message: /names a signal, not a message/ },
      { name: 'message without name', xml: catchEvent('<bpmn:messageEventDefinition messageRef="NoName" />'), code: INVALID.code, elementId: 't', message: /the message "NoName" has no name/ },
      { name: 'signal without signalRef', xml: throwEvent('<bpmn:signalEventDefinition />'), code: INVALID.code, elementId: 't', attribute: 'signalRef' },
      { name: 'throwing escalation without escalationRef', xml: throwEvent('<bpmn:escalationEventDefinition />'), code: INVALID.code, elementId: 't', attribute: 'escalationRef' },
      { name: 'throwing escalation without code', xml: throwEvent('<bpmn:escalationEventDefinition escalationRef="EscNoCode" />'), code: INVALID.code, elementId: 't', message: /has no escalationCode/ },
      { name: 'timer without a time', xml: catchEvent(timer('')), code: INVALID.code, elementId: 't', message: /exactly one of timeDuration, timeDate, timeCycle; this one has none/ },
      { name: 'timer with two times', xml: catchEvent(timer('<bpmn:timeDuration>PT1M</bpmn:timeDuration><bpmn:timeDate>2030-01-01T00:00:00Z</bpmn:timeDate>')), code: INVALID.code, elementId: 't', message: /has timeDuration and timeDate/ },
      { name: 'empty timer', xml: boundary(timer('<bpmn:timeDuration> </bpmn:timeDuration>')), code: INVALID.code, elementId: 'b', attribute: 'timeDuration' },
      { name: 'intermediate timer cycle', xml: catchEvent(timer('<bpmn:timeCycle>R3/PT1M</bpmn:timeCycle>')), code: INVALID.code, elementId: 't', attribute: 'timeCycle' },
      { name: 'conditional without condition', xml: catchEvent('<bpmn:conditionalEventDefinition />'), code: INVALID.code, elementId: 't', attribute: 'conditionalEventDefinition' },
      {
        name: 'conditional with a bad variable event',
        xml: catchEvent('<bpmn:conditionalEventDefinition camunda:variableEvents="create, change"><bpmn:condition>${x}</bpmn:condition></bpmn:conditionalEventDefinition>'),
        code: INVALID.code,
        elementId: 't',
        attribute: 'variableEvents',
      },
      { name: 'intermediate throw with an error', xml: throwEvent('<bpmn:errorEventDefinition errorRef="Err" />'), code: INVALID.code, elementId: 't', attribute: 'errorEventDefinition' },
      { name: 'compensate activityRef naming nothing', xml: throwEvent('<bpmn:compensateEventDefinition activityRef="ghost" />'), code: INVALID.code, elementId: 't', attribute: 'activityRef' },
      {
        name: 'compensate activityRef naming a gateway',
        xml: around('<bpmn:task id="t" />', '    <bpmn:exclusiveGateway id="g" />\n    <bpmn:sequenceFlow id="gf" sourceRef="g" targetRef="e" />\n    <bpmn:endEvent id="c"><bpmn:compensateEventDefinition activityRef="g" /></bpmn:endEvent>'),
        code: INVALID.code,
        elementId: 'c',
        message: /names no activity/,
      },
      {
        name: 'compensate activityRef inside a subprocess',
        xml: around('<bpmn:subProcess id="t"><bpmn:startEvent id="ss" /><bpmn:sequenceFlow id="sf" sourceRef="ss" targetRef="inner" /><bpmn:task id="inner" /></bpmn:subProcess>', '    <bpmn:endEvent id="c"><bpmn:compensateEventDefinition activityRef="inner" /></bpmn:endEvent>'),
        code: INVALID.code,
        elementId: 'c',
        message: /neither is nor encloses/,
      },
    ]);
  });

  it('refuses compensation boundary events without a handler, with flows, or with a handler that is not one', async () => {
    const comp = '<bpmn:compensateEventDefinition />';
    await check([
      { name: 'no association', xml: boundary(comp), code: INVALID.code, elementId: 'b', attribute: 'association' },
      {
        name: 'an outgoing flow',
        xml: boundary(comp).replace('</bpmn:process>', '<bpmn:sequenceFlow id="bf" sourceRef="b" targetRef="e" /><bpmn:task id="h" isForCompensation="true" /><bpmn:association id="a" sourceRef="b" targetRef="h" /></bpmn:process>'),
        code: INVALID.code,
        elementId: 'b',
        attribute: 'outgoing',
      },
      {
        name: 'handler without isForCompensation',
        xml: boundary(comp).replace('</bpmn:process>', '<bpmn:task id="h" /><bpmn:association id="a" sourceRef="b" targetRef="h" /></bpmn:process>'),
        code: INVALID.code,
        elementId: 'b',
        message: /must have isForCompensation="true"/,
      },
      {
        name: 'handler is an annotation',
        xml: boundary(comp).replace('</bpmn:process>', '<bpmn:textAnnotation id="n"><bpmn:text>x</bpmn:text></bpmn:textAnnotation><bpmn:association id="a" sourceRef="b" targetRef="n" /></bpmn:process>'),
        code: INVALID.code,
        elementId: 'b',
        message: /not with an activity/,
      },
      {
        name: 'handler with a sequence flow',
        xml: boundary(comp).replace('</bpmn:process>', '<bpmn:task id="h" isForCompensation="true" /><bpmn:sequenceFlow id="hf" sourceRef="h" targetRef="e" /><bpmn:association id="a" sourceRef="b" targetRef="h" /></bpmn:process>'),
        code: INVALID.code,
        elementId: 'h',
        message: /compensation handler .* cannot have incoming or outgoing sequence flows/,
      },
    ]);
  });

  it('refuses loops that cannot run', async () => {
    await check([
      { name: 'no cardinality, no collection', xml: mi(''), code: INVALID.code, elementId: 't', attribute: 'multiInstanceLoopCharacteristics' },
      { name: 'non-numeric cardinality', xml: mi('', '<bpmn:loopCardinality>many</bpmn:loopCardinality>'), code: INVALID.code, elementId: 't', message: /loopCardinality "many"/ },
      { name: 'collection that is neither name nor expression', xml: mi(' camunda:collection="a b"'), code: INVALID.code, elementId: 't', attribute: 'camunda:collection' },
      { name: 'Zeebe input collection without "="', xml: mi('', '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="items" /></bpmn:extensionElements>'), code: INVALID.code, elementId: 't', message: /must be a FEEL expression/ },
      {
        name: 'Zeebe output collection without output element',
        xml: mi('', '<bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" outputCollection="out" /></bpmn:extensionElements>'),
        code: INVALID.code,
        elementId: 't',
        message: /go together/,
      },
      { name: 'standard loop without end', xml: around('<bpmn:task id="t"><bpmn:standardLoopCharacteristics /></bpmn:task>'), code: INVALID.code, elementId: 't', attribute: 'standardLoopCharacteristics' },
      { name: 'empty retry cycle', xml: around('<bpmn:task id="t" camunda:asyncBefore="true"><bpmn:extensionElements><camunda:failedJobRetryTimeCycle /></bpmn:extensionElements></bpmn:task>'), code: INVALID.code, elementId: 't', attribute: 'camunda:failedJobRetryTimeCycle' },
    ]);
  });

  it('refuses call activities and script tasks that say too little', async () => {
    await check([
      { name: 'no called element', xml: around('<bpmn:callActivity id="t" />'), code: INVALID.code, elementId: 't', attribute: 'calledElement' },
      { name: 'unknown binding', xml: around('<bpmn:callActivity id="t" calledElement="c" camunda:calledElementBinding="newest" />'), code: INVALID.code, elementId: 't', attribute: 'camunda:calledElementBinding' },
      { name: 'version binding without version', xml: around('<bpmn:callActivity id="t" calledElement="c" camunda:calledElementBinding="version" />'), code: INVALID.code, elementId: 't', attribute: 'camunda:calledElementVersion' },
      { name: 'camunda:in without target', xml: around('<bpmn:callActivity id="t" calledElement="c"><bpmn:extensionElements><camunda:in source="a" /></bpmn:extensionElements></bpmn:callActivity>'), code: INVALID.code, elementId: 't', message: /needs target/ },
      {
        name: 'camunda:out with a business key',
        xml: around('<bpmn:callActivity id="t" calledElement="c"><bpmn:extensionElements><camunda:out businessKey="${k}" /></bpmn:extensionElements></bpmn:callActivity>'),
        code: INVALID.code,
        elementId: 't',
        attribute: 'camunda:out',
      },
      { name: 'variables other than all', xml: around('<bpmn:callActivity id="t" calledElement="c"><bpmn:extensionElements><camunda:in variables="some" /></bpmn:extensionElements></bpmn:callActivity>'), code: INVALID.code, elementId: 't', message: /only variables="all"/ },
      { name: 'script without scriptFormat', xml: around('<bpmn:scriptTask id="t"><bpmn:script>1</bpmn:script></bpmn:scriptTask>'), code: INVALID.code, elementId: 't', attribute: 'scriptFormat' },
      { name: 'empty script', xml: around('<bpmn:scriptTask id="t" scriptFormat="javascript"><bpmn:script>  </bpmn:script></bpmn:scriptTask>'), code: INVALID.code, elementId: 't', attribute: 'script' },
      { name: 'Zeebe script without "="', xml: around('<bpmn:scriptTask id="t"><bpmn:extensionElements><zeebe:script expression="a + b" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>'), code: INVALID.code, elementId: 't', attribute: 'zeebe:script expression' },
    ]);
  });
});

describe('unsupported', () => {
  it('refuses script languages other than JavaScript and FEEL, naming the language, and external scripts', async () => {
    for (const lang of ['groovy', 'python', 'ruby']) {
      const { problems } = await refused(around(`<bpmn:scriptTask id="t" scriptFormat="${lang}"><bpmn:script>x</bpmn:script></bpmn:scriptTask>`), UNSUPPORTED_ELEMENT.code);
      assert.equal(problems[0]?.elementId, 't');
      assert.equal(problems[0]?.attribute, 'scriptFormat');
      assert.match(problems[0]?.message ?? '', new RegExp(`script language "${lang}" is not supported`));
    }
    await check([
      { name: 'camunda:resource', xml: around('<bpmn:scriptTask id="t" scriptFormat="javascript" camunda:resource="deployment://x.js" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:resource' },
      {
        name: 'Zeebe job-worker script task',
        xml: around('<bpmn:scriptTask id="t"><bpmn:extensionElements><zeebe:taskDefinition type="script" /></bpmn:extensionElements></bpmn:scriptTask>'),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 't',
        attribute: 'zeebe:taskDefinition',
      },
    ]);
  });

  it('refuses compensation with multiple handlers', async () => {
    const comp = '<bpmn:compensateEventDefinition />';
    await check([
      {
        name: 'one boundary, two handlers',
        xml: boundary(comp).replace(
          '</bpmn:process>',
          '<bpmn:task id="h1" isForCompensation="true" /><bpmn:task id="h2" isForCompensation="true" /><bpmn:association id="a1" sourceRef="b" targetRef="h1" /><bpmn:association id="a2" sourceRef="b" targetRef="h2" /></bpmn:process>',
        ),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 'b',
        message: /multiple handlers \(h1, h2\)/,
      },
      {
        name: 'two compensation boundary events on one activity',
        xml: boundary(comp).replace(
          '</bpmn:process>',
          `<bpmn:boundaryEvent id="b2" attachedToRef="t">${comp}</bpmn:boundaryEvent><bpmn:task id="h1" isForCompensation="true" /><bpmn:task id="h2" isForCompensation="true" /><bpmn:association id="a1" sourceRef="b" targetRef="h1" /><bpmn:association id="a2" sourceRef="h2" targetRef="b2" /></bpmn:process>`,
        ),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 'b2',
        message: /already has the compensation handler "h1"/,
      },
    ]);
  });

  it('refuses what the compiled model cannot represent', async () => {
    await check([
      { name: 'multiple event definitions', xml: catchEvent(`<bpmn:messageEventDefinition messageRef="Msg" />${duration}`), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'eventDefinitions' },
      { name: 'camunda:in on a signal', xml: throwEvent('<bpmn:signalEventDefinition signalRef="Sig"><bpmn:extensionElements><camunda:in variables="all" /></bpmn:extensionElements></bpmn:signalEventDefinition>'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:in' },
      { name: 'asynchronous signal', xml: throwEvent('<bpmn:signalEventDefinition signalRef="Sig" camunda:async="true" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:async' },
      {
        name: 'instantiating event-based gateway',
        xml: gateway(catchMsg, catchTimer).replace('<bpmn:eventBasedGateway id="t" />', '<bpmn:eventBasedGateway id="t" instantiate="true" />'),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 't',
        attribute: 'instantiate',
      },
      {
        name: 'parallel event-based gateway',
        xml: gateway(catchMsg, catchTimer).replace('<bpmn:eventBasedGateway id="t" />', '<bpmn:eventBasedGateway id="t" eventGatewayType="Parallel" />'),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 't',
        attribute: 'eventGatewayType',
      },
      { name: 'instantiating receive task', xml: around('<bpmn:receiveTask id="t" instantiate="true" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'instantiate' },
      { name: 'multi-instance behavior', xml: mi(' behavior="One" camunda:collection="items"'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'behavior' },
      { name: 'loopDataOutputRef', xml: mi(' camunda:collection="items"', '<bpmn:loopDataOutputRef>out</bpmn:loopDataOutputRef>'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'loopDataOutputRef' },
      { name: 'async multi-instance body', xml: mi(' camunda:collection="items" camunda:asyncBefore="true"'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'multiInstanceLoopCharacteristics camunda:asyncBefore' },
      {
        name: 'conditional on several variables',
        xml: catchEvent('<bpmn:conditionalEventDefinition><bpmn:extensionElements><zeebe:conditionalFilter variableNames="a, b" /></bpmn:extensionElements><bpmn:condition>=a &gt; b</bpmn:condition></bpmn:conditionalEventDefinition>'),
        code: UNSUPPORTED_ELEMENT.code,
        elementId: 't',
        attribute: 'variableName',
      },
      { name: 'JavaScript condition', xml: catchEvent('<bpmn:conditionalEventDefinition><bpmn:condition language="javascript">x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition>'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', message: /language "javascript"/ },
      { name: 'CMMN case', xml: around('<bpmn:callActivity id="t" camunda:caseRef="case" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:caseRef' },
      { name: 'tenant id', xml: around('<bpmn:callActivity id="t" calledElement="c" camunda:calledElementTenantId="t1" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:calledElementTenantId' },
      { name: 'job on a signal throw', xml: throwEvent('<bpmn:signalEventDefinition signalRef="Sig" />', '<bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements>'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'zeebe:taskDefinition' },
      { name: 'external type on a catching message', xml: catchEvent('<bpmn:messageEventDefinition messageRef="Msg" camunda:type="external" camunda:topic="x" />'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'camunda:type' },
      { name: 'escalation code expression', xml: throwEvent('<bpmn:escalationEventDefinition escalationRef="EscFeel" />').replace('<bpmn:process', '<bpmn:escalation id="EscFeel" escalationCode="=code" />\n  <bpmn:process'), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'escalationCode' },
      { name: 'shared event definition', xml: catchEvent('').replace('<bpmn:intermediateCatchEvent id="t">', '<bpmn:intermediateCatchEvent id="t"><bpmn:eventDefinitionRef>TD</bpmn:eventDefinitionRef>').replace('<bpmn:process', `<bpmn:timerEventDefinition id="TD"><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>\n  <bpmn:process`), code: UNSUPPORTED_ELEMENT.code, elementId: 't', attribute: 'eventDefinitionRef' },
    ]);
  });
});

describe('Java', () => {
  it('refuses Java on message throw events and call activities', async () => {
    await check([
      { name: 'message throw with camunda:class', xml: throwEvent('<bpmn:messageEventDefinition camunda:class="com.acme.Send" />'), code: JAVA_IMPLEMENTATION.code, elementId: 't', attribute: 'camunda:class' },
      { name: 'message end with a delegate expression', xml: around('<bpmn:task id="t" />', '    <bpmn:endEvent id="m"><bpmn:messageEventDefinition camunda:delegateExpression="${sender}" /></bpmn:endEvent>'), code: JAVA_IMPLEMENTATION.code, elementId: 'm', attribute: 'camunda:delegateExpression' },
      { name: 'variable mapping class', xml: around('<bpmn:callActivity id="t" calledElement="c" camunda:variableMappingClass="com.acme.M" />'), code: JAVA_IMPLEMENTATION.code, elementId: 't', attribute: 'camunda:variableMappingClass' },
      { name: 'method call in a business key', xml: around('<bpmn:callActivity id="t" calledElement="c"><bpmn:extensionElements><camunda:in businessKey="${execution.getProcessBusinessKey()}" /></bpmn:extensionElements></bpmn:callActivity>'), code: JAVA_IMPLEMENTATION.code, elementId: 't' },
    ]);
  });
});
